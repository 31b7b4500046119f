#!/usr/bin/env python3
"""Run the commands a Markdown document shows, in a copy of a built tree, and
compare the outputs it shows.  TAP on standard output, one test per block.

usage: docs_run.py BUILT_TREE DOC.md [DOC.md...]

Each document gets its own copy of BUILT_TREE (a tree right after ./setup.sh)
and its blocks run in order, each from the top of that copy, so that a
document can build on its own earlier steps but never on another document's.

What a fenced block means (the rules are in tests/docs/README.md):
  ```sh (or bash, shell)  a script: run with bash -e -o pipefail; it must exit 0.
                          A document is one terminal session: a block starts in the
                          folder the one before it ended in, with its exported
                          variables.
  ```console              `$ COMMAND` lines are run; the lines after each one are
                          its output, compared line for line
  anything else           text, unless a directive before it says otherwise

A directive is an HTML comment on the lines just before a fence (Markdown does
not show it):
  <!-- docs-test: skip REASON -->           not run; reported as a skip with REASON
  <!-- docs-test: exit N -->                the block (or each command) exits N
  <!-- docs-test: cwd DIR -->               run from DIR, relative to the top of the tree
  <!-- docs-test: output -->                this block is output of the block run
                                            before it: its lines appear in that
                                            output, in this order
  <!-- docs-test: file PATH -->             the block is written to PATH
  <!-- docs-test: insert-after PATH REGEX -->  the block is inserted after the first
                                            line of PATH matching REGEX
  <!-- docs-test: replace PATH REGEX -->    the first line of PATH matching REGEX
                                            is replaced by the block
  <!-- docs-test: text -->                  a text block that looks like commands
In compared output, a line `...` stands for any number of lines and `...`
inside a line for any text; trailing spaces are ignored.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

RUN_LANGS = {"sh", "bash", "shell"}
BLOCK_TIMEOUT = 600
# A text block whose first line looks like one of these is probably commands that the
# test would otherwise never run.
COMMAND_LIKE = re.compile(r"^\s*(\$ |\./|harmonize |make |sudo |cd |cat |cp |chmod )")


class Block:
    def __init__(self, doc, line, lang, lines, directives):
        self.doc, self.line, self.lang, self.lines, self.directives = doc, line, lang, lines, directives

    def where(self):
        return "%s:%d" % (self.doc, self.line)

    def directive(self, name):
        for d in self.directives:
            if d[0] == name:
                return d[1]
        return None


def parse(path, shown):
    """The fenced blocks of a Markdown file, each with the directives before it."""
    blocks, pending = [], []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^\s*<!--\s*docs-test:\s*(\S+)\s*(.*?)\s*-->\s*$", line)
        if m:
            pending.append((m.group(1), m.group(2)))
            i += 1
            continue
        fence = re.match(r"^(\s*)(```+)\s*([\w-]*)", line)
        if fence:
            indent, ticks, lang = fence.group(1), fence.group(2), fence.group(3)
            start, body = i + 1, []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(ticks):
                body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
                i += 1
            blocks.append(Block(shown, start, lang, body, pending))
            pending = []
            i += 1
            continue
        if line.strip():
            if pending:
                raise SystemExit("%s:%d: a docs-test directive must come just before a fenced block" % (shown, i))
        i += 1
    return blocks


def line_matches(pattern, actual):
    if "..." not in pattern:
        return pattern == actual
    parts = [re.escape(p) for p in pattern.split("...")]
    return re.fullmatch(".*".join(parts), actual, re.S) is not None


def compare(expected, actual, exact):
    """None when `expected` (with `...` lines) matches `actual`, else a message.
    exact: every line of actual must be matched (console); otherwise expected is a
    subsequence of actual."""
    expected = [e.rstrip() for e in expected]
    actual = [a.rstrip() for a in actual]
    while actual and actual[-1] == "":
        actual.pop()
    while expected and expected[-1] == "":
        expected.pop()

    # Backtracking match: small inputs, patterns with few `...` lines.
    def match(ei, ai):
        if ei == len(expected):
            return (ai == len(actual)) if exact else True
        if expected[ei] == "...":
            return any(match(ei + 1, k) for k in range(ai, len(actual) + 1))
        if exact:
            return ai < len(actual) and line_matches(expected[ei], actual[ai]) and match(ei + 1, ai + 1)
        for k in range(ai, len(actual)):
            if line_matches(expected[ei], actual[k]) and match(ei + 1, k + 1):
                return True
        return False

    if match(0, 0):
        return None
    return "expected%s:\n%s\nactual output:\n%s" % (
        "" if exact else " (these lines, in this order)",
        "\n".join("  | " + e for e in expected),
        "\n".join("  | " + a for a in actual) or "  (nothing)",
    )


class Runner:
    def __init__(self, tree):
        self.tree = tree
        self.n = 0
        self.failed = 0
        self.env = dict(os.environ)
        # The documents promise that nothing needs setting: the build's plugins are found
        # beside the binary.
        for var in ("HARMONIZE_PLUGIN_PATH", "HZ_TEST_TMPDIR", "HARMONIZE"):
            self.env.pop(var, None)
        self.env["LC_ALL"] = "C.UTF-8"

    def result(self, ok, label, detail=None, skip=None):
        self.n += 1
        if skip:
            print("ok %d - %s # SKIP %s" % (self.n, label, skip))
            return
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, label))
        if not ok:
            self.failed += 1
            for line in (detail or "").rstrip("\n").split("\n"):
                print("# " + line)
        sys.stdout.flush()

    def shell(self, script, cwd):
        """Run `script` as the next command of the document's terminal session: in the
        folder the previous one ended in (or `cwd`), with the variables it exported."""
        wrapper = (
            '[ -f "$HZ_DOCS_SESSION" ] && . "$HZ_DOCS_SESSION"\n'
            + ('cd %s\n' % shlex.quote(cwd) if cwd else "")
            + "trap 'st=$?; { export -p; printf \"cd %q\\n\" \"$PWD\"; } >\"$HZ_DOCS_SESSION\"; exit $st' EXIT\n"
            + "set -e -o pipefail\n"
            + script
        )
        p = subprocess.run(
            ["bash", "-c", wrapper],
            cwd=self.top,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=BLOCK_TIMEOUT,
        )
        return p.returncode, p.stdout.decode("utf-8", "replace")

    def run_doc(self, doc, shown):
        blocks = parse(doc, shown)
        work = tempfile.mkdtemp(prefix="docs-")
        copy = os.path.join(work, "tree")
        # A fresh copy of the tree as ./setup.sh left it, for this document alone.
        subprocess.run(["cp", "-a", self.tree, copy], check=True)
        self.env["HOME"] = os.path.join(work, "home")
        os.mkdir(self.env["HOME"])
        # One terminal session per document: each block starts where the last ended.
        self.env["HZ_DOCS_SESSION"] = os.path.join(work, "session.sh")
        self.top = copy
        last_output, last_where = None, None
        try:
            for b in blocks:
                last_output, last_where = self.run_block(b, copy, last_output, last_where)
            self.check_citations(doc, shown, copy)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def run_block(self, b, top, last_output, last_where):
        skip = b.directive("skip")
        cwd = os.path.join(top, b.directive("cwd")) if b.directive("cwd") else None
        want_exit = int(b.directive("exit") or 0)
        text = "\n".join(b.lines) + "\n"
        if b.directive("text") is not None:
            return last_output, last_where
        if skip is not None:
            self.result(True, "%s: %s" % (b.where(), first_line(b)), skip=skip or "no reason given")
            return last_output, last_where
        for action in ("file", "insert-after", "replace"):
            arg = b.directive(action)
            if arg is not None:
                self.edit(b, top, action, arg, text)
                return last_output, last_where
        if b.directive("output") is not None:
            if last_output is None:
                self.result(False, "%s: output of nothing" % b.where(), "no block was run before this output")
            else:
                diff = compare(b.lines, last_output.split("\n"), exact=False)
                self.result(diff is None, "%s: the output of %s" % (b.where(), last_where), diff)
            return last_output, last_where
        if b.lang in RUN_LANGS:
            st, out = self.shell(text, cwd)
            ok = st == want_exit
            self.result(
                ok,
                "%s: %s" % (b.where(), first_line(b)),
                None if ok else "exit status %d, expected %d; output:\n%s" % (st, want_exit, out),
            )
            return out, b.where()
        if b.lang == "console":
            return self.run_console(b, cwd, want_exit)
        if b.directive("text") is None and b.lines and COMMAND_LIKE.match(b.lines[0]):
            self.result(
                False,
                "%s: a text block that looks like commands" % b.where(),
                "fence it as sh or console so that it is run, or mark it <!-- docs-test: text -->",
            )
        return last_output, last_where

    def run_console(self, b, cwd, want_exit):
        commands, current = [], None
        for line in b.lines:
            if line.startswith("$ "):
                current = [line[2:], []]
                commands.append(current)
            elif current is not None:
                current[1].append(line)
            elif line.strip():
                self.result(False, "%s: console block" % b.where(), "output before the first `$ ` command")
                return None, None
        out = None
        for command, expected in commands:
            st, out = self.shell(command, cwd)
            diff = compare(expected, out.split("\n"), exact=True)
            if st != want_exit:
                diff = "exit status %d, expected %d\n%s" % (st, want_exit, diff or "output:\n" + out)
            self.result(diff is None, "%s: $ %s" % (b.where(), command), diff)
        return out, b.where()

    def check_citations(self, doc, shown, top):
        """Every file the document's prose names exists in the tree (after its commands
        ran, so that an output it made counts): a document cites only the repository."""
        import glob

        with open(doc, encoding="utf-8") as f:
            text = f.read()
        missing = []
        for n, path, from_doc in cited_paths(text):
            base = os.path.join(top, os.path.dirname(shown)) if from_doc else top
            if not glob.glob(os.path.join(base, path)):
                missing.append("%s:%d: %s" % (shown, n, path))
        self.result(not missing, "%s: every file it names exists" % shown, "\n".join(missing))

    def edit(self, b, top, action, arg, text):
        label = "%s: %s %s" % (b.where(), action, arg)
        if action == "file":
            path = os.path.join(top, arg)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            self.result(True, label)
            return
        rel, _, pattern = arg.partition(" ")
        path = os.path.join(top, rel)
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
        except OSError as e:
            self.result(False, label, str(e))
            return
        for i, line in enumerate(lines):
            if re.search(pattern, line):
                if action == "replace":
                    lines[i : i + 1] = b.lines
                else:
                    lines[i + 1 : i + 1] = b.lines
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join(lines))
                self.result(True, label)
                return
        self.result(False, label, "no line of %s matches %s" % (rel, pattern))


# A file the prose names: `pipelines/example.yaml`, `tests/pipelines/ok/max_rejects_*`.
CITED = re.compile(r"`((?:\.ci|bench|core|data|docs|examples|fuzz|include|lib|m4|pipelines|plugins|scripts|tests)/[^`\s<>]*)`")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def cited_paths(text):
    """(line, path relative to the top or to the document, relative_to_doc) of every
    file or folder the document's prose names."""
    in_block = False
    for n, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("```"):
            in_block = not in_block
            continue
        if in_block:
            continue
        for m in CITED.finditer(line):
            yield n, m.group(1).rstrip(".,:;"), False
        for m in LINK.finditer(line):
            if not re.match(r"^[a-z]+:", m.group(1)):
                yield n, m.group(1), True


def first_line(b):
    for line in b.lines:
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()[:70]
    return "(empty block)"


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    tree = os.path.abspath(sys.argv[1])
    runner = Runner(tree)
    docs = sys.argv[2:]
    print("# documents: " + " ".join(docs))
    for doc in docs:
        runner.run_doc(os.path.join(tree, doc), doc)
    print("1..%d" % runner.n)
    return 1 if runner.failed else 0


if __name__ == "__main__":
    sys.exit(main())
