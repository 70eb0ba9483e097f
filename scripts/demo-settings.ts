/** The demo portal's rules: every automation on, reps from the seeded owners, a gated pipeline, fixes set to auto. */
export function demoSettings(owners: ReadonlyArray<{ id: string; firstName: string; lastName: string }>) {
  const allDay = ["00:00-24:00"];
  const week = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
  return {
    automations: { hygiene: true, dedupe: true, routing: true, stageGates: true },
    hygiene: {
      fixPolicy: { contacts: { email: "auto", phone: "auto", country: "auto", firstName: "auto", lastName: "auto", website: "auto" } },
    },
    dedupe: { autoMerge: true },
    routing: {
      reps: owners.map((o) => ({ ownerId: o.id, name: `${o.firstName} ${o.lastName}`, timeZone: "UTC", workingHours: week })),
      queues: [{ id: "inbound", name: "Inbound", strategy: "round_robin", members: owners.map((o) => o.id) }],
      rules: [{ id: "everyone", name: "Every new lead", queue: "inbound" }],
      slaMinutes: 30,
    },
    stageGates: {
      pipelines: {
        default: {
          mode: "enforce",
          stages: { appointmentscheduled: { required: ["amount"] }, qualifiedtobuy: { required: ["closedate"] } },
        },
      },
    },
  };
}
