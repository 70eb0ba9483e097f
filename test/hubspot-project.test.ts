import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadHsProfileFile, validateProfileVariables } from "@hubspot/project-parsing-lib/profiles";
import { translateForLocalDev } from "@hubspot/project-parsing-lib/translate";
import { describe, expect, it } from "vitest";

const projectDir = join(import.meta.dirname, "..", "hubspot-app");
const project = JSON.parse(readFileSync(join(projectDir, "hsproject.json"), "utf8")) as { srcDir: string; platformVersion: string };
const srcDir = join(projectDir, project.srcDir);

const profileFiles = () => readdirSync(projectDir).filter((f) => /^hsprofile\.[^.]+\.json$/.test(f));
const profileName = (file: string) => file.slice("hsprofile.".length, -".json".length);

function hsMetaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "node_modules") return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return hsMetaFiles(path);
    return entry.name.endsWith("-hsmeta.json") ? [path] : [];
  });
}

describe("the HubSpot project in hubspot-app/", () => {
  it("parses with @hubspot/project-parsing-lib without errors", async () => {
    const { intermediateRepresentation } = await translateForLocalDev(
      { projectSourceDir: srcDir, platformVersion: project.platformVersion },
      { skipValidation: true },
    );
    const nodes = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid);
    expect(nodes.length).toBe(hsMetaFiles(srcDir).length);
    for (const node of nodes) expect({ uid: node.uid, errors: node.localDev.parsingErrors }).toEqual({ uid: node.uid, errors: [] });
    expect(nodes.map((n) => n.componentType)).toEqual(expect.arrayContaining(["APPLICATION", "CARD", "WEBHOOKS"]));
  });

  it("defines every profile variable the components use in each profile", () => {
    const used = new Set(
      hsMetaFiles(srcDir).flatMap((f) => [...readFileSync(f, "utf8").matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1] ?? "")),
    );
    const profiles = profileFiles();
    expect(profiles.length).toBeGreaterThanOrEqual(2);
    for (const file of profiles) {
      const profile = loadHsProfileFile(projectDir, profileName(file));
      const variables = profile.variables ?? {};
      expect(validateProfileVariables(variables, file)).toEqual({ success: true, errors: [] });
      for (const name of used) expect({ file, name, defined: name in variables }).toEqual({ file, name, defined: true });
    }
  });

  it("points every profile's webhook target and fetch origin at HTTPS, as HubSpot requires", () => {
    for (const file of profileFiles()) {
      const origin = String(loadHsProfileFile(projectDir, profileName(file)).variables?.WORKER_ORIGIN);
      expect(origin).toMatch(/^https:\/\/(?!localhost|127\.)/);
    }
  });
});
