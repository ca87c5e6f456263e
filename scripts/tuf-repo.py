#!/usr/bin/env python3
"""Makes TUF repositories with python-tuf (the TUF reference implementation,
in the judges venv as a dependency of sigstore-python) for the tests of
`apostille trust update`: a stand-in for Sigstore's TUF repository, made by
an implementation independent of the client under test.

    usage: tuf-repo.py OUT FIRST_TRUSTED_ROOT SECOND_TRUSTED_ROOT

writes, all signed with one ed25519 key per role, consistent snapshots:

    OUT/root.json     the root to bootstrap from (version 1)
    OUT/v1/           the repository serving FIRST_TRUSTED_ROOT (timestamp,
                      snapshot, targets version 1)
    OUT/v2/           the same repository later, serving SECOND_TRUSTED_ROOT
                      (every role version 2)
    OUT/expired/      version 3 of it, whose timestamp expired an hour ago
                      (a freeze: a mirror serving stale metadata)

Serving OUT/v1 to a client that has seen OUT/v2 is a rollback.
"""

import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

TARGET = "trusted_root.json"
ROLES = ("root", "targets", "snapshot", "timestamp")


def main(out: Path, first: Path, second: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    later = now + timedelta(days=30)
    signers = {role: CryptoSigner.generate_ed25519() for role in ROLES}

    root = Metadata(Root(expires=later, consistent_snapshot=True))
    for role in ROLES:
        root.signed.add_key(signers[role].public_key, role)
    root.sign(signers["root"])
    ser = JSONSerializer(compact=False)
    root.to_file(str(out / "root.json"), ser)

    def publish(name: str, version: int, target: Path, ts_expires: datetime) -> None:
        site = out / name
        (site / "targets").mkdir(parents=True)
        root.to_file(str(site / "1.root.json"), ser)
        info = TargetFile.from_file(TARGET, str(target), ["sha256"])
        shutil.copyfile(target, site / "targets" / f"{info.hashes['sha256']}.{TARGET}")
        targets = Metadata(Targets(version=version, expires=later))
        targets.signed.targets[TARGET] = info
        targets.sign(signers["targets"])
        targets.to_file(str(site / f"{version}.targets.json"), ser)
        snapshot = Metadata(Snapshot(version=version, expires=later))
        snapshot.signed.meta["targets.json"] = MetaFile(version=version)
        snapshot.sign(signers["snapshot"])
        snapshot.to_file(str(site / f"{version}.snapshot.json"), ser)
        timestamp = Metadata(Timestamp(version=version, expires=ts_expires))
        timestamp.signed.snapshot_meta = MetaFile(version=version)
        timestamp.sign(signers["timestamp"])
        timestamp.to_file(str(site / "timestamp.json"), ser)

    publish("v1", 1, first, later)
    publish("v2", 2, second, later)
    publish("expired", 3, second, now - timedelta(hours=1))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
