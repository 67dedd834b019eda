// globMatcher() against the shell's rules, as a well-kept glob library's tests state them:
// cases chosen from picomatch's test suite (test/bash.js, test/wildmat.js, test/brackets.js,
// which port bash's and git's wildmatch tests), rewritten here as data, for the syntax we
// document. Left out on purpose: extglobs, POSIX classes, quoting, {1..3} ranges, and the few
// where picomatch lets regular-expression syntax through (`a[\b]c` not matching `abc`).
import assert from "node:assert/strict";
import { globMatcher } from "../src/sources/mod.ts";

/** [glob, path, matches]; paths are relative to the folder, as directoryUrls() tests them. */
type Case = readonly [string, string, boolean];

const STARS_AND_QMARKS: Case[] = [
  ["a*", "a", true],
  ["a*", "abc", true],
  ["a*", "b", false],
  ["a*", "Beware", false],
  ["a*", "a/b", false], // a name glob tests the last segment: "b"
  ["\\a*", "abc", true],
  ["\\*", "*", true],
  ["\\*", "a", false],
  ["\\**", "*", true],
  ["\\**", "**", true],
  ["\\**", "a", false],
  ["a\\*", "a*", true],
  ["a\\*", "abc", false],
  ["*q*", "aqa", true],
  ["*q*", "abc", false],
  ["\\^", "^", true],
  ["\\^", "a", false],
  ["*f", "foo", false],
  ["??", "foo", false],
  ["???", "foo", true],
  ["\\??\\?b", "?a?b", true],
  ["*ab", "aaaaaaabababab", true],
  ["*ob*a*r*", "foobar", true],
  ["foo\\*bar", "foobar", false],
  ["a**c", "abc", true],
  ["a**c", "bbc", false],
  ["a***c", "abc", true],
  ["a*****?c", "abc", true],
  ["?*****??", "abc", true],
  ["?***?****c", "bbd", false],
  ["a*cd**?**??k", "abcdecdhjk", true],
  ["a****c**?**??*****", "abcdecdhjk", true],
  ["??**********?****?", "abc", false],
  ["a********???*******", "abc", false],
  [
    "-*-*-*-*-*-*-12-*-*-*-m-*-*-*",
    "-adobe-courier-bold-o-normal--12-120-75-75-m-70-iso8859-1",
    true,
  ],
  [
    "-*-*-*-*-*-*-12-*-*-*-m-*-*-*",
    "-adobe-courier-bold-o-normal--12-120-75-75-X-70-iso8859-1",
    false,
  ],
];

const PATHS: Case[] = [
  ["*/man*/bash.*", "man/man1/bash.1", true],
  ["foo/*", "foo/bar", true],
  ["foo/*", "foo/bba/arr", false],
  ["foo/**", "foo/bba/arr", true],
  ["foo*", "foo/bba/arr", false], // a name glob: "arr"
  ["foo/*arr", "foo/bba/arr", false],
  ["foo/**arr", "foo/bba/arr", false],
  ["*/*/*", "foo/bba/arr", true],
  ["*/*/*", "foo/bar", false],
  ["*/*/*", "foo/bb/aa/rr", false],
  ["**/**/**", "foo/bb/aa/rr", true],
  ["foo?bar", "foo/bar", false],
  ["**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txt", true],
  ["**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txtz", false],
  ["**/*X*/**/*i", "ab/cXd/efXg/hi", true],
  ["*/*X*/*/*i", "ab/cXd/efXg/hi", true],
  ["a\\*b/*", "a*b/ooo", true],
  ["a\\*?/*", "a*b/ooo", true],
];

const SETS: Case[] = [
  ["[a]*", "aaa", true],
  ["[a-z]*", "zzz", true],
  ["[a-c]b*", "abc", true],
  ["[a-c]b*", "cb", true],
  ["[a-c]b*", "bcd", false],
  ["[a-c]b*", "Beware", false],
  ["a*[^c]", "abd", true],
  ["a*[^c]", "abc", false],
  ["[a-y]*[^c]", "a123b", true],
  ["[a-y]*[^c]", "a123c", false],
  ["[a-y]*[^c]", "bzz", true],
  ["[a-y]*[^c]", "BZZ", false],
  ["a[X-]b", "a-b", true],
  ["a[X-]b", "aXb", true],
  ["a[b]c", "abc", true],
  ["a[b]c", "abd", false],
  ["a[\\\\b]c", "abc", true],
  ["a[b-d]c", "abc", true],
  ["a[b-d]c", "abd", false],
  ["[^a-c]*", "Beware", true],
  ["[^a-c]*", "d", true],
  ["[^a-c]*", "abc", false],
  ["[^a-c]*", "baz", false],
  ["a[]-]b", "a-b", true],
  ["a[]-]b", "a]b", true],
  ["a[]-]b", "aab", false],
  ["a[]]b", "a]b", true],
  ["a[\\]a\\-]b", "aab", true],
  ["[ten]", "ten", false],
  ["t[a-g]n", "ten", true],
  ["t[^a-g]n", "ton", true],
  ["f[^eiu][^eiu][^eiu][^eiu][^eiu]r", "foo-bar", true],
  ["\\[ab]", "[ab]", true],
  ["[\\[:]ab]", "[ab]", true],
  // The two: a negated set is the complement, and "]" first in it is itself.
  ["a[!-b]c", "aXc", true],
  ["a[!-b]c", "a-c", false],
  ["a[!-b]c", "abc", false],
  ["a[!]]c", "aXc", true],
  ["a[!]]c", "a]c", false],
  ["a[!]x]c", "axc", false],
  ["a[!a-c]d", "aed", true],
  ["a[!a-c]d", "abd", false],
  ["[!.]*", "x.txt", true],
  ["[!.]*", ".env", false],
];

const SLASHES: Case[] = [
  // A set stands for one character of a path: a negated one never matches "/".
  ["foo[/]bar", "foo/bar", true],
  ["f[^eiu][^eiu][^eiu][^eiu][^eiu]r", "foo/bar", false],
  ["foo[!x]bar", "foo/bar", false],
  ["[a]*", "a/b", false],
];

Deno.test("globMatcher: the shell's stars, sets and escapes, as picomatch's tests state them", () => {
  for (const [glob, path, expected] of [...STARS_AND_QMARKS, ...PATHS, ...SETS, ...SLASHES]) {
    assert.equal(globMatcher(glob)(path), expected, `${glob} ~ ${path}`);
  }
});

Deno.test("globMatcher: what is not a glob is an error naming it", () => {
  const invalid: [string, RegExp][] = [
    ["[abc", /Invalid glob "\[abc": unclosed \[/],
    ["a[]", /Invalid glob "a\[\]": unclosed \[/],
    ["a[!]", /unclosed \[/],
    ["[z-a]", /Invalid glob "\[z-a\]": the range z-a is out of order/],
    ["[[:alpha:]]", /POSIX classes such as \[:alpha:\] are not supported/],
    ["{a,b", /unclosed \{/],
  ];
  for (const [glob, message] of invalid) assert.throws(() => globMatcher(glob), message, glob);
  // Astral characters count as one.
  assert.equal(globMatcher("?.png")("😀.png"), true);
  assert.equal(globMatcher("[😀😁].png")("😁.png"), true);
});
