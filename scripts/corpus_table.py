#!/usr/bin/env python3
"""Helpers for scripts/corpus.sh (Python 3 standard library only).

  candidates SOURCES OUT.tsv      packages whose upstream tarball is signed
  sample CANDIDATES MAXBYTES [PKG...]
                                  the candidates in sampling order (or just PKG...)
  row PKG PKGDIR                  one results.tsv row from the captured outputs
  diffkey DIFF.gz OUT             the upstream key a format 1.0 .diff.gz adds
  table RESULTS.tsv               the agreement table and the disagreements
"""

import datetime
import os
import re
import sys

# A signature over the main upstream tarball: PKG_VER.orig.tar.EXT.asc/.sig
# (component tarballs, .orig-COMP.tar.*, are counted but not sampled).
MAIN_SIG = re.compile(r"\.orig\.tar\.[A-Za-z0-9]+\.(asc|sig)$")
ANY_SIG = re.compile(r"\.orig(-[^.]+)?\.tar\.[A-Za-z0-9]+\.(asc|sig)$")

COLUMNS = [
    "package", "signature", "key_algos", "signer_algo", "sig_version",
    "sig_hash", "sig_created", "key_format",
    "pgp_rc", "pgp_verdict", "pgp_message",
    "dir_rc", "dir_verdict", "dir_message",
    "gpg_rc", "gpg_class", "gpg_status",
    "sqv_rc", "sqv_message", "sqv_note",
    "seconds",
]

PK_ALGOS = {"1": "rsa", "2": "rsa", "3": "rsa", "16": "elg", "17": "dsa",
            "18": "ecdh", "19": "ecdsa", "20": "elg", "22": "eddsa",
            "25": "x25519", "27": "ed25519", "28": "ed448"}
HASH_ALGOS = {"1": "MD5", "2": "SHA1", "3": "RIPEMD160", "8": "SHA256",
              "9": "SHA384", "10": "SHA512", "11": "SHA224"}


def paragraphs(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        para = []
        for line in f:
            line = line.rstrip("\n")
            if line:
                para.append(line)
            elif para:
                yield para
                para = []
        if para:
            yield para


def field_lines(para, name):
    out, inside = [], False
    for line in para:
        if line.startswith(name + ":"):
            inside = True
            continue
        if inside:
            if line.startswith(" "):
                out.append(line.split())
            else:
                break
    return out


def scalar(para, name):
    for line in para:
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    return ""


def cmd_candidates(sources, out):
    rows, seen, asc, sig, comp = [], set(), 0, 0, 0
    sig_pkgs = []
    for para in paragraphs(sources):
        pkg, ver = scalar(para, "Package"), scalar(para, "Version")
        files = {f[2]: int(f[1]) for f in field_lines(para, "Checksums-Sha256")
                 if len(f) == 3}
        if not files:
            files = {f[2]: int(f[1]) for f in field_lines(para, "Files") if len(f) == 3}
        sigs = [n for n in files if ANY_SIG.search(n)]
        for n in sigs:
            if n.endswith(".sig"):
                sig += 1
                sig_pkgs.append(pkg)
            else:
                asc += 1
            if not MAIN_SIG.search(n):
                comp += 1
        main = sorted(n for n in sigs if MAIN_SIG.search(n))
        if not main or pkg in seen:
            continue
        seen.add(pkg)
        s = main[0]
        orig = re.sub(r"\.(asc|sig)$", "", s)
        if orig not in files:
            continue
        rows.append((pkg, ver, orig, files[orig], s, sum(files.values())))
    rows.sort()
    with open(out, "w") as f:
        for r in rows:
            f.write("\t".join(map(str, r)) + "\n")
    print(f"{len(rows)} source packages with a signed upstream tarball "
          f"({asc} .asc, {sig} .sig upstream signatures, {comp} of them on "
          f"component tarballs)")
    if sig_pkgs:
        print("  .sig signatures: " + " ".join(sorted(set(sig_pkgs))))


def spread_order(n):
    """0..n-1 so that every prefix is spread evenly over the range (the
    bit-reversal / van der Corput order): the first k are a stride sample
    of the sorted list, the next ones fill the gaps between them."""
    bits = max(1, (n - 1).bit_length())
    out = []
    for i in range(1 << bits):
        j = int(format(i, f"0{bits}b")[::-1], 2)
        if j < n:
            out.append(j)
    return out


def cmd_sample(cands, maxbytes, wanted):
    rows = []
    with open(cands) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            rows.append((p[0], p[1], p[2], int(p[3]), p[4], int(p[5])))
    if wanted:
        by = {r[0]: r for r in rows}
        for w in wanted:
            if w not in by:
                print(f"corpus: {w}: no signed upstream tarball in Sources, skipped",
                      file=sys.stderr)
        chosen = [by[w] for w in sorted(set(wanted)) if w in by]
    else:
        small = [r for r in rows if r[3] <= maxbytes]
        chosen = [small[i] for i in spread_order(len(small))]
    for r in chosen:
        print("\t".join(map(str, r)))


# --- one row -----------------------------------------------------------------

def read(path, limit=1 << 20):
    try:
        with open(path, "rb") as f:
            return f.read(limit).decode("utf-8", errors="replace")
    except OSError:
        return ""


def clean(s, n=300):
    s = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", s)
    # Absolute directories of the corpus and its temp folders say nothing.
    s = re.sub(r"(?<![\w.])/[^\s:\"',]*/", "", s)
    s = re.sub(r"[\t\r\n]+", " ", s).strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def meaningful(text):
    for line in text.splitlines():
        line = clean(line, 800)
        if line and not re.match(r"^[\s\-=#*]*$", line):
            return line
    return ""


APO_VERDICTS = ("GOOD", "BAD", "REJECTED", "NO KEY", "UNSUPPORTED")


def apostille_pgp(d):
    out, err = read(os.path.join(d, "pgp.out")), read(os.path.join(d, "pgp.err"))
    rc = read(os.path.join(d, "pgp.rc")).strip() or "?"
    for line in out.splitlines():
        line = clean(line, 800)
        # "FILE: GOOD signature by …" (or the verdict first)
        rest = line.split(": ", 1)[1] if ": " in line else line
        for cand in (line, rest):
            for v in APO_VERDICTS:
                if cand.startswith(v):
                    return rc, v, line
    msg = clean(meaningful(err) or meaningful(out), 800)
    return rc, ("timeout" if rc == "124" else "error"), msg


def apostille_dir(d, sig):
    out, err = read(os.path.join(d, "dir.out")), read(os.path.join(d, "dir.err"))
    rc = read(os.path.join(d, "dir.rc")).strip() or "?"
    lines = [clean(x, 800) for x in (out + "\n" + err).splitlines() if clean(x)]
    # The artifact line ("TARBALL: VERIFIED — …") gives the verdict, the
    # pgp check line ("pass pgp SIG: good signature …") the message.
    verdict, check = "", ""
    for line in lines:
        m = re.match(r"^(\S+)\s+(pgp|openpgp)\s+(.*)$", line)
        if m and not check:
            check = line
        m = re.match(r"^[^\s:]+: ([A-Z][A-Z ]+?)(\s+—|$)", line)
        if m and not verdict and not line.startswith("verdict:"):
            verdict = m.group(1).strip()
    if not verdict:
        m = next((re.match(r"^verdict: ([A-Z][A-Z ]+?)(\s+—|$)", l) for l in lines
                  if l.startswith("verdict:")), None)
        verdict = m.group(1).strip() if m else "error"
    if not check:
        check = next((l for l in lines if sig in l), "") or \
            next((l for l in lines if not l.startswith("verdict:")), "") or \
            (lines[0] if lines else "")
    if rc == "124":
        verdict = "timeout"
    return rc, verdict, check


def gpg_class(d):
    status = read(os.path.join(d, "gpg.status"))
    rc = read(os.path.join(d, "gpg.rc")).strip() or "?"
    kw = [l.split()[1] for l in status.splitlines()
          if l.startswith("[GNUPG:] ") and len(l.split()) > 1]
    if rc == "124":
        cls = "timeout"
    elif "GOODSIG" in kw and rc == "0":
        cls = "good"
    elif "EXPKEYSIG" in kw:
        cls = "expired-key"
    elif "REVKEYSIG" in kw:
        cls = "revoked"
    elif "BADSIG" in kw:
        cls = "bad"
    elif "EXPSIG" in kw:
        cls = "expired-sig"
    elif "NO_PUBKEY" in kw:
        cls = "no-key"
    elif "NODATA" in kw:
        cls = "no-signature-data"
    elif "ERRSIG" in kw:
        cls = "error"
    elif "GOODSIG" in kw:
        cls = "good-but-exit-" + rc
    else:
        cls = "error"
    interesting = [k for k in kw if k in (
        "GOODSIG", "VALIDSIG", "EXPKEYSIG", "REVKEYSIG", "BADSIG", "EXPSIG",
        "ERRSIG", "NO_PUBKEY", "NODATA", "KEYEXPIRED", "KEYREVOKED",
        "FAILURE", "UNEXPECTED", "BADARMOR")]
    seen = []
    for k in interesting:
        if k not in seen:
            seen.append(k)
    if not seen:
        seen = [meaningful(read(os.path.join(d, "gpg.err")))]
    return rc, cls, " ".join(seen)


def sqv_result(d):
    rc = read(os.path.join(d, "sqv.rc")).strip() or "?"
    err = read(os.path.join(d, "sqv.err"))
    out = read(os.path.join(d, "sqv.out"))
    # sqv's error is a chain ("Error: …", "Caused by: …", "because: …").
    msg = clean("; ".join(clean(l) for l in err.splitlines()
                          if clean(l) and clean(l) != "Caused by:"), 500)
    if not msg and rc == "0":
        msg = "good: " + (meaningful(out) or "")
    return rc, msg, clean(read(os.path.join(d, "sqv.note")))


def key_info(d, keyid):
    text = read(os.path.join(d, "showkeys.txt"))
    prim, signer = [], ""
    for line in text.splitlines():
        f = line.split(":")
        if len(f) < 5 or f[0] not in ("pub", "sub"):
            continue
        algo = PK_ALGOS.get(f[3], "algo" + f[3])
        if len(f) > 16 and f[16]:
            a = f[16]
        else:
            a = algo + f[2]
        if f[0] == "pub" and a not in prim:
            prim.append(a)
        if keyid and f[4].upper().endswith(keyid.upper()):
            signer = ("" if f[0] == "pub" else "sub:") + a
            if f[1] in ("e", "r"):
                signer += "(" + {"e": "expired", "r": "revoked"}[f[1]] + ")"
    if not prim:
        prim = ["unreadable"]
    return ",".join(prim), signer or "?"


def sig_meta(d):
    text = read(os.path.join(d, "packets.txt"))
    sigs = re.findall(
        r":signature packet: algo (\d+), keyid ([0-9A-Fa-f]+)\s+"
        r"version (\d+), created (\d+).*?\n\s+digest algo (\d+)", text)
    if not sigs:
        if ":signature packet:" in text:
            return "", "?", "?", "?", "unparsed"
        return "", "none", "-", "-", "not-a-signature"
    keyid = sigs[0][1]
    ver = ",".join(dict.fromkeys("v" + s[2] for s in sigs))
    hashes = ",".join(dict.fromkeys(HASH_ALGOS.get(s[4], "h" + s[4]) for s in sigs))
    dates = ",".join(dict.fromkeys(
        datetime.datetime.fromtimestamp(int(s[3]), datetime.timezone.utc)
        .strftime("%Y-%m-%d") for s in sigs))
    n = "" if len(sigs) == 1 else f"{len(sigs)} sigs"
    return keyid, ver, hashes, dates, n


def cmd_row(pkg, d):
    run = os.path.join(d, "run")
    sig = read(os.path.join(run, "sig.name")).strip()
    keyid, ver, hashes, dates, note = sig_meta(run)
    key_algos, signer = key_info(run, keyid)
    if note:
        ver = ver + (" (" + note + ")" if ver else note)
    fmt = read(os.path.join(run, "key.format")).strip()
    pgp = apostille_pgp(run)
    dr = apostille_dir(run, sig)
    g = gpg_class(run)
    s = sqv_result(run)
    secs = read(os.path.join(run, "seconds")).strip()
    row = [pkg, sig, key_algos, signer, ver, hashes, dates, fmt,
           *pgp, *dr, *g, *s, secs]
    print("\t".join(clean(x, 800) for x in row))


# --- the table ---------------------------------------------------------------

def reject_class(msg):
    # The reason follows the verdict line's "made DATE with HASH: ".
    m = re.split(r" with [A-Z0-9-]+: ", msg, maxsplit=1)[-1].lower()
    if "v3 signature packet" in m:
        return "v3 signature packet"
    if "data signature" in m:
        return "SHA-1 data signature"
    if "revoked" in m:
        return "revoked"
    if "expired on" in m or "not alive" in m or "not live" in m:
        return "expired before signing"
    if "was created on" in m:
        return "key created after signing"
    if "no self-signature as old" in m or "no binding" in m or "no valid binding" in m \
            or "not valid when" in m:
        return "no binding at signing time"
    if "too weak" in m:
        return "weak key"
    if "sha-1 self-signatures" in m or "sha-1" in m:
        return "SHA-1 binding"
    return "other"


def category(r):
    v = r["pgp_verdict"]
    if v == "REJECTED":
        return "REJECTED: " + reject_class(r["pgp_message"])
    if v in ("GOOD", "BAD", "NO KEY", "UNSUPPORTED"):
        return v
    return "error"


def cmd_table(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            vals = line.rstrip("\n").split("\t")
            vals += [""] * (len(head) - len(vals))
            rows.append(dict(zip(head, vals)))
    out = []
    w = out.append
    acc = lambda r: r["pgp_verdict"] == "GOOD" and r["pgp_rc"] == "0"
    dir_acc = lambda r: r["dir_rc"] == "0"
    sqv_acc = lambda r: r["sqv_rc"] == "0"
    gpg_acc = lambda r: r["gpg_class"] == "good"

    cats = {}
    for r in rows:
        cats.setdefault(category(r), []).append(r)
    order = ["GOOD"] + sorted(c for c in cats if c.startswith("REJECTED")) + \
        ["BAD", "NO KEY", "UNSUPPORTED", "error"]
    w(f"# apostille corpus: {len(rows)} Debian source packages with an "
      "upstream signature and key\n")
    w("| apostille `verify pgp` verdict | packages | sqv accepts | sqv rejects "
      "| gpg good | gpg not good | `verify DIR` exit 0 | `verify DIR` exit ≠ 0 |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|")
    for c in order:
        rs = cats.get(c, [])
        if not rs and c not in ("GOOD", "BAD", "NO KEY", "error"):
            continue
        w(f"| {c} | {len(rs)} | {sum(map(sqv_acc, rs))} | "
          f"{sum(not sqv_acc(r) for r in rs)} | {sum(map(gpg_acc, rs))} | "
          f"{sum(not gpg_acc(r) for r in rs)} | {sum(map(dir_acc, rs))} | "
          f"{sum(not dir_acc(r) for r in rs)} |")
    w(f"| **total** | {len(rows)} | {sum(map(sqv_acc, rows))} | "
      f"{sum(not sqv_acc(r) for r in rows)} | {sum(map(gpg_acc, rows))} | "
      f"{sum(not gpg_acc(r) for r in rows)} | {sum(map(dir_acc, rows))} | "
      f"{sum(not dir_acc(r) for r in rows)} |")
    w("")

    def agree(name, other):
        both = sum(acc(r) and other(r) for r in rows)
        neither = sum(not acc(r) and not other(r) for r in rows)
        a_only = sum(acc(r) and not other(r) for r in rows)
        o_only = sum(not acc(r) and other(r) for r in rows)
        w(f"| {name} | {both} | {neither} | {a_only} | {o_only} |")

    w("| agreement with | both accept | both reject | only apostille accepts "
      "| only the other accepts |")
    w("|---|---:|---:|---:|---:|")
    agree("sqv", sqv_acc)
    agree("gpg (GOODSIG, exit 0)", gpg_acc)
    agree("apostille `verify DIR`", dir_acc)
    w("")

    gpg_classes = {}
    for r in rows:
        gpg_classes[r["gpg_class"]] = gpg_classes.get(r["gpg_class"], 0) + 1
    w("gpg status classes: " + ", ".join(
        f"{k} {v}" for k, v in sorted(gpg_classes.items())))
    w("")

    def listing(title, pred, cols):
        sel = [r for r in rows if pred(r)]
        w(f"## {title} ({len(sel)})\n")
        if not sel:
            w("none\n")
            return
        w("| package | " + " | ".join(c[0] for c in cols) + " |")
        w("|---|" + "---|" * len(cols))
        for r in sel:
            cells = [c[1](r).replace("|", "\\|") for c in cols]
            w(f"| {r['package']} | " + " | ".join(cells) + " |")
        w("")

    apo = ("apostille verify pgp", lambda r: f"{r['pgp_rc']}: {r['pgp_message']}")
    sqv = ("sqv", lambda r: f"{r['sqv_rc']}: {r['sqv_message']}"
           + (f" [{r['sqv_note']}]" if r["sqv_note"] else ""))
    gpg = ("gpg", lambda r: f"{r['gpg_rc']}: {r['gpg_class']} ({r['gpg_status']})")
    meta = ("key / sig", lambda r: f"{r['key_algos']} signer {r['signer_algo']}; "
            f"{r['sig_version']} {r['sig_hash']} {r['sig_created']}; {r['key_format']}")
    dr = ("apostille verify DIR", lambda r: f"{r['dir_rc']}: {r['dir_message']}")
    listing("disagreements with sqv", lambda r: acc(r) != sqv_acc(r),
            [apo, sqv, gpg, meta])
    listing("disagreements with gpg", lambda r: acc(r) != gpg_acc(r),
            [apo, gpg, sqv, meta])
    listing("`verify pgp` vs `verify DIR` disagreements",
            lambda r: acc(r) != dir_acc(r), [apo, dr])
    listing("unusual key files (not one armored PUBLIC KEY BLOCK)",
            lambda r: not re.match(r"armored: BEGIN PGP PUBLIC KEY BLOCK \(1 block", r["key_format"]),
            [("key file", lambda r: r["key_format"]), apo, sqv, gpg])
    listing("unusual signatures (not v4, several signatures, or not a signature)",
            lambda r: r["sig_version"] != "v4",
            [("signature", lambda r: f"{r['sig_version']} {r['sig_hash']} {r['sig_created']}"),
             apo, sqv, gpg])
    print("\n".join(out))


def cmd_diffkey(diff, out):
    """The upstream key a format 1.0 .diff.gz adds (debian/upstream/signing-key.asc
    or the old debian/upstream-signing-key.asc); exit 1 if there is none."""
    import gzip
    want = re.compile(r"^\+\+\+ [^/\s]+/(debian/upstream/signing-key\.asc|"
                      r"debian/upstream-signing-key\.asc)(\s|$)")
    lines, member, inside = [], "", False
    with gzip.open(diff, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("+++ "):
                m = want.match(line)
                if inside and lines:
                    break
                inside = bool(m)
                if m:
                    member = m.group(1)
                continue
            if not inside or line.startswith("@@") or line.startswith("--- "):
                continue
            if line.startswith("+"):
                lines.append(line[1:])
            elif line.startswith("diff ") or not line.startswith((" ", "-", "\\")):
                if lines:
                    break
    if not lines:
        return 1
    with open(out, "w", encoding="utf-8") as f:
        f.write("".join(lines))
    print(member)
    return 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "candidates":
        cmd_candidates(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "sample":
        cmd_sample(argv[1], int(argv[2]), argv[3:])
    elif len(argv) == 3 and argv[0] == "row":
        cmd_row(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "diffkey":
        return cmd_diffkey(argv[1], argv[2])
    elif len(argv) == 2 and argv[0] == "header":
        print("\t".join(COLUMNS))
    elif len(argv) == 2 and argv[0] == "table":
        cmd_table(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
