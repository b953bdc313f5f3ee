"""Two imports at the same moment queue on the document's lock instead of interleaving."""

import threading
import time

from django.db import connections

from studyapp.documents import services
from studyapp.documents.models import DocumentVersion, ImportLog
from tests.support import THREADED_DATABASE

pytestmark = THREADED_DATABASE


def text(number: int) -> bytes:
    return f"# 文件\n\n## 部分\n\n### 任务\n\n#### 专题\n\n第 {number} 版的要点  \n共同的要点\n".encode()


def test_two_simultaneous_imports_get_consecutive_versions_and_one_active(monkeypatch):
    services.document_import(source=text(1), source_name="v1.md")
    store = services._store_nodes

    def slow_store(version, parsed):
        time.sleep(0.3)  # widen the window in which two imports could interleave
        store(version, parsed)

    monkeypatch.setattr(services, "_store_nodes", slow_store)
    barrier = threading.Barrier(2)
    errors = []

    def run(number: int) -> None:
        try:
            barrier.wait()
            services.document_import(source=text(number), source_name=f"v{number}.md", activate=True)
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in (2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(DocumentVersion.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert DocumentVersion.objects.filter(is_active=True).count() == 1
    for version in DocumentVersion.objects.all():
        assert version.nodes.count() == 5  # part, task, topic and two points
    assert ImportLog.objects.filter(action="import").count() == 3
