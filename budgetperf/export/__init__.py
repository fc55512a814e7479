"""Export: meeting packs from the charts a page shows: PNGs (one ZIP), an XLSX
workbook with native charts, a PPTX deck (`packs`). Pure of streamlit: the app's
导出 panel and the export command both call it.
"""
