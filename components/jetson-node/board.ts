import type { BoardKind } from "../../domain/models";

/** A board kind's supported L4T releases and what to tell a user whose board runs another. */
export interface BoardSupport {
  /** Release prefixes accepted by preflight (`R32.7` matches R32.7.1 and R32.7.4). */
  l4tReleases: string[];
  jetpack: string;
}

export function boardSupport(board: BoardKind): BoardSupport {
  switch (board) {
    case "nano":
      return { l4tReleases: ["R32.6", "R32.7"], jetpack: "JetPack 4.6.x (L4T R32.6/R32.7)" };
    case "xavier":
      return { l4tReleases: ["R35"], jetpack: "JetPack 5.1.x (L4T R35)" };
    case "orin":
      return { l4tReleases: ["R35", "R36"], jetpack: "JetPack 5.1.x or 6.x (L4T R35/R36)" };
    default: {
      const unknown: never = board;
      throw new Error(`unsupported board kind ${String(unknown)}`);
    }
  }
}

/** The L4T major release (`R32`, `R35`, `R36`) of a full release string such as `R32.7.1`. */
export function l4tMajor(release: string): string {
  const match = /^R(\d+)/.exec(release);
  if (match === null) throw new Error(`not an L4T release: ${JSON.stringify(release)}`);
  return `R${match[1]}`;
}
