import logging

from core.lookup import cache
from core.lookup.engine import LookupEngine


def test_index_cache_reused_then_rebuilt(demo_directory, caplog):
    caplog.set_level(logging.INFO, logger="core.lookup")
    first = LookupEngine(demo_directory)
    assert cache.cache_path(demo_directory).is_file()

    caplog.clear()
    second = LookupEngine(demo_directory)
    assert any("loaded the lookup index" in record.message for record in caplog.records)
    assert second.lookup("工行北京新华支行").answer.cnaps_code == "102100000021"
    assert len(second.index) == len(first.index)

    demo_directory.db.execute("DELETE FROM branches WHERE cnaps_code = '102100000021'")
    demo_directory.db.conn.commit()
    caplog.clear()
    third = LookupEngine(demo_directory)
    assert any("stale" in record.message for record in caplog.records)
    assert "102100000021" not in third.index.row_of_code


def test_unreadable_cache_ignored(demo_directory):
    path = cache.cache_path(demo_directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a pickle")
    engine = LookupEngine(demo_directory)
    assert engine.lookup("102100000021").answer is not None
