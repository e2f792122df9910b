"""One of several processes appending to one audit store at once (test_audit_store)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import conftest  # noqa: E402,F401  (loads the pack as content_safety_guard)
from audit_helpers import record  # noqa: E402
from content_safety_guard.safety.settings.audit import AuditSettings  # noqa: E402
from content_safety_guard.safety.audit.store import AuditStore  # noqa: E402

url, spool, marks, tag, count = sys.argv[1:6]
store = AuditStore(AuditSettings(url=url, spool_path=spool, checkpoint_path=marks, checkpoint_every=1000))
for i in range(int(count)):
    store.append([record(i, user=tag)])
store.close()
print("done")
