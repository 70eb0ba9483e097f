import type { PortalStore } from "../store/portal-store.ts";
import { OBJECT_TYPES, type ObjectTypeName } from "./object-types.ts";

type AssociationType = { from: ObjectTypeName; to: ObjectTypeName; typeId: number; inverse: number; label?: string };

// HubSpot-defined association type ids (v4), each with the id of the opposite direction.
const TYPES: AssociationType[] = [
  { from: "contacts", to: "companies", typeId: 279, inverse: 280 },
  { from: "contacts", to: "companies", typeId: 1, inverse: 2, label: "Primary" },
  { from: "deals", to: "contacts", typeId: 3, inverse: 4 },
  { from: "deals", to: "companies", typeId: 341, inverse: 342 },
  { from: "deals", to: "companies", typeId: 5, inverse: 6, label: "Primary" },
  { from: "notes", to: "contacts", typeId: 202, inverse: 201 },
  { from: "notes", to: "companies", typeId: 190, inverse: 189 },
  { from: "notes", to: "deals", typeId: 214, inverse: 213 },
  { from: "tasks", to: "contacts", typeId: 204, inverse: 203 },
  { from: "tasks", to: "companies", typeId: 192, inverse: 191 },
  { from: "tasks", to: "deals", typeId: 216, inverse: 215 },
];
const ALL: AssociationType[] = TYPES.flatMap((t) => [
  t,
  { from: t.to, to: t.from, typeId: t.inverse, inverse: t.typeId, ...(t.label ? { label: t.label } : {}) },
]);

/** The association type with this id, if HubSpot defines it. */
export const associationType = (typeId: number): AssociationType | undefined => ALL.find((t) => t.typeId === typeId);

/** The unlabelled default type between two object types. */
export const defaultAssociationType = (from: ObjectTypeName, to: ObjectTypeName): AssociationType | undefined =>
  ALL.find((t) => t.from === from && t.to === to && !t.label);

const key = (type: ObjectTypeName, id: string) => `${type}:${id}`;

function link(store: PortalStore, from: string, to: string, typeIds: number[], add: boolean): void {
  const targets = { ...(store.associations.get(from) ?? {}) };
  const current = new Set(targets[to] ?? []);
  for (const id of typeIds) add ? current.add(id) : current.delete(id);
  if (current.size > 0) targets[to] = [...current].sort((a, b) => a - b);
  else delete targets[to];
  store.setAssociations(from, targets);
}

/** Associates two records with the given type ids, both directions, as HubSpot keeps them. */
export function associate(
  store: PortalStore,
  from: ObjectTypeName,
  fromId: string,
  to: ObjectTypeName,
  toId: string,
  typeIds: number[],
): void {
  const inverse = typeIds.map((id) => associationType(id)?.inverse ?? id);
  link(store, key(from, fromId), key(to, toId), typeIds, true);
  link(store, key(to, toId), key(from, fromId), inverse, true);
}

/** Removes every association between two records. */
export function dissociate(store: PortalStore, from: ObjectTypeName, fromId: string, to: ObjectTypeName, toId: string): void {
  const typeIds = store.associations.get(key(from, fromId))?.[key(to, toId)] ?? [];
  const inverse = store.associations.get(key(to, toId))?.[key(from, fromId)] ?? [];
  link(store, key(from, fromId), key(to, toId), typeIds, false);
  link(store, key(to, toId), key(from, fromId), inverse, false);
}

/** Records of `to` associated with a record, each with its type ids. */
export function associationsOf(
  store: PortalStore,
  from: ObjectTypeName,
  fromId: string,
  to: ObjectTypeName,
): { id: string; typeIds: number[] }[] {
  const targets = store.associations.get(key(from, fromId)) ?? {};
  return Object.entries(targets)
    .filter(([k]) => k.startsWith(`${to}:`))
    .map(([k, typeIds]) => ({ id: k.slice(to.length + 1), typeIds }))
    .filter((a) => store.get(to, a.id) !== undefined)
    .sort((a, b) => Number(a.id) - Number(b.id));
}

/** Moves a merged-away record's associations onto the record it became. */
export function moveAssociations(store: PortalStore, type: ObjectTypeName, oldId: string, newId: string): void {
  const targets = store.associations.get(key(type, oldId)) ?? {};
  for (const [target, typeIds] of Object.entries(targets)) {
    const [toType, toId = ""] = target.split(":") as [ObjectTypeName, string];
    dissociate(store, type, oldId, toType, toId);
    if (!(toType === type && toId === newId)) associate(store, type, newId, toType, toId, typeIds);
  }
}

/** `contact_to_company`-style name the v3 object endpoints put on an association. */
export function v3AssociationName(from: ObjectTypeName, to: ObjectTypeName, typeId: number): string {
  const base = `${OBJECT_TYPES[from].singular}_to_${OBJECT_TYPES[to].singular}`;
  return associationType(typeId)?.label ? `${base}_primary` : base;
}
