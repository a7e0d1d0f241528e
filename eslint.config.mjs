// Lint the TypeScript of the domain floor, the program, the components, the benchmarks CLI and the tests.
import tseslint from "typescript-eslint";

// The floors, bottom up: domain/ (the shared vocabulary) imports nothing of the project;
// components/ and benchmarks/ (the CLI) import the domain and themselves, never each other or the
// program above them (infra/); infra/ composes them all. An import that runs upward fails the lint.
const upward = (folders, why) => ({
  "no-restricted-imports": [
    "error",
    { patterns: folders.map((folder) => ({ group: [`**/${folder}`, `**/${folder}/**`], message: `${why}: move what both need into domain/.` })) },
  ],
});

export default tseslint.config(
  { ignores: ["node_modules/**", "bin/**", "dist/**", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  { files: ["domain/**/*.ts"], rules: upward(["infra", "components", "benchmarks", "test"], "domain/ is the bottom floor and imports nothing of the project") },
  { files: ["components/**/*.ts"], rules: upward(["infra", "benchmarks", "test"], "components/ may import domain/ and components/ only") },
  { files: ["benchmarks/**/*.ts"], rules: upward(["infra", "components", "test"], "benchmarks/ (the CLI) may import domain/ and benchmarks/ only") },
);
