"""An .xlsx that expands far beyond its size is refused quickly, before it is read whole."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from dashboard.ingest.reader import RefusedFile, read_upload

HEADER = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def workbook_with_sheet(write_sheet) -> bytes:
    """A valid .xlsx whose first sheet's XML is written by `write_sheet(handle)` (streamed, never in memory)."""
    workbook = Workbook()
    workbook.active.append(["indicator", "gebied", "periode", "waarde"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with archive.open(item.filename, "w", force_zip64=True) as handle:
                    handle.write(HEADER + b"<sheetData>")
                    write_sheet(handle)
                    handle.write(b"</sheetData></worksheet>")
            else:
                archive.writestr(item, source.read(item.filename))
    return out.getvalue()


def many_rows(n_rows: int):
    block = b"".join(b'<row><c t="inlineStr"><is><t>a</t></is></c></row>' for _ in range(10_000))

    def write(handle) -> None:
        for _ in range(n_rows // 10_000):
            handle.write(block)
    return write


def test_an_xlsx_expanding_to_millions_of_rows_is_refused_before_it_is_read() -> None:
    data = workbook_with_sheet(many_rows(3_000_000))  # 150 MB of XML in a 0.4 MB file, under both limits
    assert len(data) < 1_000_000
    start = time.perf_counter()
    with pytest.raises(RefusedFile, match="uitgepakt te groot: meer dan 200000 rijen"):
        read_upload("bom.xlsx", data, max_bytes=20_000_000, max_rows=200_000)
    print(f"geweigerd na {time.perf_counter() - start:.3f} s")  # measured, not asserted (shared machine)


def test_an_xlsx_whose_xml_is_larger_than_ten_times_the_limit_is_refused_from_its_sizes() -> None:
    data = workbook_with_sheet(many_rows(500_000))  # 25 MB of XML
    with pytest.raises(RefusedFile, match=r"uitgepakt te groot: 2[0-9] MB; de grens is 10 MB"):
        read_upload("bom.xlsx", data, max_bytes=1_000_000, max_rows=10**7)


def test_one_cell_far_down_or_far_right_is_refused_without_building_the_empty_grid() -> None:
    far_down = workbook_with_sheet(lambda h: h.write(b'<row r="5000000"><c r="A5000000"><v>1</v></c></row>'))
    with pytest.raises(RefusedFile, match="meer dan 200 rijen"):
        read_upload("ver.xlsx", far_down, max_bytes=20_000_000, max_rows=200)
    far_right = workbook_with_sheet(lambda h: h.write(b'<row r="1"><c r="XFD1"><v>1</v></c></row>'))
    with pytest.raises(RefusedFile, match="cellen voorbij kolom ZZ"):
        read_upload("breed.xlsx", far_right, max_bytes=20_000_000, max_rows=200)


def test_a_file_within_the_limits_is_read_as_before() -> None:
    data = workbook_with_sheet(many_rows(190_000))
    sheets = read_upload("groot.xlsx", data, max_bytes=20_000_000, max_rows=200_000)
    assert len(sheets[0].rows) == 190_000
