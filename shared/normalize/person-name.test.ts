import { describe, expect, it } from "vitest";
import { formatPersonName, splitFullName } from "./person-name.ts";

describe("formatPersonName", () => {
  it.each([
    ["o'brien", "O'Brien"],
    ["O’BRIEN", "O'Brien"],
    ["mcdonald", "McDonald"],
    ["MCDONALD", "McDonald"],
    ["macdonald", "MacDonald"],
    ["macy", "Macy"],
    ["MACHADO", "Machado"],
    ["van der berg", "van der Berg"],
    ["VAN DER BERG", "van der Berg"],
    ["de la cruz", "de la Cruz"],
    ["ludwig van beethoven", "Ludwig van Beethoven"],
    ["jean-luc", "Jean-Luc"],
    ["MARY-KATE O'NEIL", "Mary-Kate O'Neil"],
    ["d'angelo", "D'Angelo"],
    ["JOHN SMITH JR", "John Smith Jr."],
    ["henry viii", "Henry Viii"],
    ["john smith iii", "John Smith III"],
    ["ÉLODIE  DURAND", "Élodie Durand"],
    ["müller", "Müller"],
    ["de", "De"],
    ["  anna  ", "Anna"],
  ])("cases %j as %j", (raw, formatted) => {
    expect(formatPersonName(raw)).toBe(formatted);
  });

  it.each([
    ["DeShawn", "DeShawn"],
    ["McKinley", "McKinley"],
    ["van Gogh", "van Gogh"],
    ["LaToya  Jackson", "LaToya Jackson"],
  ])("keeps mixed case as typed: %j", (raw, formatted) => {
    expect(formatPersonName(raw)).toBe(formatted);
  });

  it.each([null, "", "   "])("gives null for %j", (raw) => {
    expect(formatPersonName(raw)).toBeNull();
  });

  it("leaves scripts without case alone", () => {
    expect(formatPersonName("山田 太郎")).toBe("山田 太郎");
  });
});

describe("splitFullName", () => {
  it.each([
    ["John Smith", "John", "Smith"],
    ["  John   Smith ", "John", "Smith"],
    ["Dr. John van der Berg Jr.", "John", "van der Berg"],
    ["Smith, John", "John", "Smith"],
    ["Smith, Dr. John", "John", "Smith"],
    ["John Smith, Jr.", "John", "Smith"],
    ["Mr. John Smith, Jr.", "John", "Smith"],
    ["Madonna", "Madonna", null],
    ["María José de la Cruz", "María José", "de la Cruz"],
    ["Ludwig van Beethoven", "Ludwig", "van Beethoven"],
    ["Mary Ann Evans", "Mary Ann", "Evans"],
    ["Prof Dr Anna Schmidt", "Anna", "Schmidt"],
    ["Dr.", "Dr.", null],
  ])("splits %j into %j / %j", (raw, firstName, lastName) => {
    expect(splitFullName(raw)).toEqual({ firstName, lastName });
  });

  it("gives nothing for an empty name", () => {
    expect(splitFullName("   ")).toEqual({ firstName: null, lastName: null });
  });
});
