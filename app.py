"""Claimdesk dashboard: `streamlit run app.py` from a checkout. The dashboard itself is ``ui/app.py``."""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent / "ui" / "app.py"), run_name="__main__")
