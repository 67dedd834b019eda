/**
 * git for the tests of `changedSince()`: whether it is installed, and a command that must
 * succeed, run with an identity of its own (so that `commit` works without a configured one).
 * @module
 */
import assert from "node:assert/strict";

/** Whether git can be run here; the tests that need it are ignored without it. */
export const HAS_GIT: boolean = (() => {
  try {
    return new Deno.Command("git", { args: ["--version"] }).outputSync().code === 0;
  } catch {
    return false;
  }
})();

/** Runs git in `cwd`; fails the test with git's message when git fails. */
export async function git(cwd: string, ...args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command("git", {
    args: ["-c", "user.email=test@example.com", "-c", "user.name=Test", ...args],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
}
