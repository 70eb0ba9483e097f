import { describe, expect, it } from "vitest";
import { classifyJobTitle } from "./job-title.ts";

describe("classifyJobTitle", () => {
  it.each([
    ["CEO", "c_level", "executive"],
    ["Chief Technology Officer", "c_level", "engineering"],
    ["CFO", "c_level", "finance"],
    ["Co-Founder & CTO", "owner", "engineering"],
    ["VP, Sales", "vp", "sales"],
    ["SVP Marketing", "vp", "marketing"],
    ["Head of People", "vp", "hr"],
    ["Director of Engineering", "director", "engineering"],
    ["IT Manager", "manager", "it"],
    ["Sr. Software Engineer", "senior", "engineering"],
    ["Principal Product Designer", "senior", "product"],
    ["Account Executive", "entry", "sales"],
    ["Junior Accountant", "entry", "finance"],
    ["Marketing Intern", "intern", "marketing"],
    ["Geschäftsführer", "c_level", "executive"],
    ["Leiterin Vertrieb", "manager", "sales"],
    ["Directeur Commercial", "director", "sales"],
    ["Directora Comercial", "director", "sales"],
    ["Customer Success Manager", "manager", "support"],
    ["General Counsel", null, "legal"],
    ["Owner", "owner", "executive"],
  ])("reads %j as %s / %s", (title, seniority, fn) => {
    expect(classifyJobTitle(title)).toEqual({ seniority, function: fn });
  });

  it.each([null, "", "   ", "???", "Wizard"])("knows nothing about %j", (title) => {
    expect(classifyJobTitle(title)).toEqual({ seniority: null, function: null });
  });
});
