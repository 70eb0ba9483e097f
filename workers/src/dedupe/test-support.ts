/** Tables and contacts the dedupe tests share (a merge-level pair and a review-level pair). */
export const DEDUPE_TABLES = [
  "audit_log",
  "event_ledger",
  "own_writes",
  "record_snapshots",
  "dedupe_contacts",
  "dedupe_keys",
  "dedupe_terms",
  "dedupe_not_duplicates",
  "dedupe_merge_journal",
  "dedupe_suggestions",
];

export const JONATHAN = {
  firstname: "Jonathan",
  lastname: "Kowalczyk",
  email: "jkowalczyk@gmail.com",
  phone: "+1 415 555 2671",
  company: "Acme Inc",
  city: "Oakland",
  jobtitle: "CFO",
};
// Same person: Gmail dots, nickname, another phone format; created later, so its values are the most recent.
export const JON = {
  firstname: "Jon",
  lastname: "Kowalczyk",
  email: "j.kowalczyk@gmail.com",
  phone: "(415) 555-2671",
  company: "Acme",
  city: "Oakland",
};
export const PRIYA = {
  firstname: "Priya",
  lastname: "Venkataraman",
  email: "priya.v@fabrikam.com",
  phone: "+44 20 7946 0958",
  company: "Fabrikam",
  city: "London",
};
export const PRIYA_AGAIN = { firstname: "Priya", lastname: "Venkataraman", email: "pvenkataraman@outlook.com", city: "London" };
