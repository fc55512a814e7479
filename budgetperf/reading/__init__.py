"""Reading: a file on disk to a `SourceDocument` (text lines with their numbers,
and tables as grids of cells with spans), the same shape whatever the format.

- `formats`: the registry of formats and `read_document`, which picks the reader;
- `text`, `docx`, `pdf`, `xlsx`, `html`, `legacy` (.xls, and .doc/.wps/.et through
  LibreOffice), `ocr` (scans and images), `ofd`: one reader per format (decoding
  only: they never interpret what a report says, and never touch the store);
- `layout` and `grid`: positioned text to lines and tables, shared by the
  page-based readers (PDF, OCR, OFD); `lookalikes`: OCR's look-alike characters;
- `batches`: the members of a .zip batch, each checked like a single upload;
- `blocks`: the `SourceDocument` shape (with each line's place and OCR score) and
  text normalization;
- `limits`: size and zip-bomb limits, checked before a file is unpacked;
- `problems`: `ReadError`, with a Chinese message for the user.
"""

from budgetperf.reading.formats import SUPPORTED_SUFFIXES, read_document
from budgetperf.reading.problems import ReadError

__all__ = ["SUPPORTED_SUFFIXES", "ReadError", "read_document"]
