/**
 * Given-name equivalence groups (formal name first, then nicknames and common spelling variants). A name may sit in
 * several groups (Pat: Patricia and Patrick); two names are nickname-equivalent when they share a group.
 */
const GROUPS: readonly string[] = [
  "robert bob rob bobby robbie bert",
  "william bill will billy willie liam",
  "elizabeth liz beth lizzy betty eliza lisa libby bess elisabeth",
  "katherine kate kathy katie kat catherine kathryn cathy kay kathleen",
  "margaret maggie peggy meg marge margie greta",
  "james jim jimmy jamie",
  "michael mike mick mickey mikey micheal",
  "jennifer jen jenny jenn",
  "richard rick dick rich ricky richie",
  "joseph joe joey jose",
  "thomas tom tommy",
  "christopher chris kit topher",
  "christine chris chrissy tina christina kristina kristen",
  "daniel dan danny",
  "patricia pat patty trish tricia",
  "patrick pat paddy rick",
  "anthony tony antonio",
  "alexander alex sasha xander al alejandro alessandro",
  "alexandra alex sasha alexa sandra lexi",
  "nicholas nick nicky nico nikolai",
  "jonathan jon johnny",
  "john jack johnny jon juan johann",
  "samantha sam sammy",
  "samuel sam sammy",
  "victoria vicky tori vic",
  "susan sue susie suzanne",
  "deborah debbie deb debra",
  "andrew andy drew andre andreas",
  "edward ed ted eddie ned",
  "theodore ted teddy theo",
  "steven steve stephen stevie stefan",
  "matthew matt matty mathew",
  "benjamin ben benny benji",
  "rebecca becky becca",
  "gregory greg",
  "timothy tim timmy",
  "jessica jess jessie",
  "kimberly kim kimberley",
  "zachary zach zack zak",
  "david dave davey",
  "mary molly polly maria marie",
  "emily em emmy",
  "emma em emmy",
  "charles charlie chuck chas carlos karl",
  "henry hank harry hal",
  "harold harry hal",
  "lawrence larry laurence",
  "leonard leo len lenny",
  "ronald ron ronnie",
  "donald don donnie",
  "douglas doug",
  "frederick fred freddie fritz",
  "gerald gerry jerry",
  "jeffrey jeff geoffrey",
  "kenneth ken kenny",
  "raymond ray",
  "walter walt wally",
  "abigail abby gail",
  "allison ali allie alison",
  "amanda mandy",
  "barbara barb babs",
  "cynthia cindy",
  "dorothy dot dottie",
  "eleanor ellie nell nora",
  "frances fran frankie",
  "francis frank frankie",
  "jacqueline jackie",
  "judith judy",
  "pamela pam",
  "penelope penny",
  "sarah sara sally",
  "teresa terry tess theresa",
  "valerie val",
  "vincent vince vinny",
  "philip phil phillip",
  "peter pete",
  "nathaniel nate nathan nat",
  "joshua josh",
  "jacob jake",
  "isabella bella izzy isabel",
  "olivia liv",
  "sophia sophie sofia",
  "anastasia ana stacy",
  "dmitri dima dmitry",
  "ivan vanya",
  "francois franz",
  "guillermo memo",
  "ignacio nacho",
  "francisco paco pancho",
  "johannes hans",
  "wolfgang wolf",
];

const groupsOf = new Map<string, number[]>();
GROUPS.forEach((line, g) => {
  for (const name of line.split(" ")) groupsOf.set(name, [...(groupsOf.get(name) ?? []), g]);
});
// Derived once: these are asked for every compared pair.
const formalOf = new Map<string, string>();
const relatives = new Map<string, readonly string[]>();
const initialsOf = new Map<string, string>();
for (const [name, groups] of groupsOf) {
  const members = [...new Set(groups.flatMap((g) => GROUPS[g]?.split(" ") ?? []))];
  formalOf.set(name, GROUPS[groups[0] ?? 0]?.split(" ")[0] ?? name);
  relatives.set(name, members);
  initialsOf.set(name, [...new Set(members.map((n) => n[0]))].join(""));
}

/** Whether two lower-case, accent-folded given names are the same name or nicknames of one another. */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return true;
  const ga = groupsOf.get(a);
  const gb = groupsOf.get(b);
  if (!ga || !gb) return false;
  return ga.some((g) => gb.includes(g));
}

/** A blocking key for a given name: its first group's formal name, or the name itself when it has no nicknames. */
export function nicknameKey(name: string): string {
  return formalOf.get(name) ?? name;
}

/** Whether a bare initial can stand for this given name or one of its nicknames ("b" for Robert, via Bob). */
export function initialFits(initial: string, name: string): boolean {
  return name[0] === initial || (initialsOf.get(name)?.includes(initial) ?? false);
}

const NONE: readonly string[] = [];

/** Every name that shares a group with this one (itself included); empty for a name in no group. */
export function nicknamesOf(name: string): readonly string[] {
  return relatives.get(name) ?? NONE;
}
