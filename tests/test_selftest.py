"""`readiness --selftest` (what CI runs on the frozen build) passes from the source tree too."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_selftest__source_tree__every_step_ok_exit_0(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "desktop"), "READINESS_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    completed = subprocess.run([sys.executable, "-m", "readiness", "--selftest"], capture_output=True, text=True,
                               env=env, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = completed.stdout.splitlines()
    assert sum(line.startswith("OK ") for line in lines) == 9
    signing = next(line for line in lines if line.startswith("OK   Ký số thử"))
    assert "Đã ký số, hợp lệ: UBND Xã Đăk Hà" in signing  # workbook and PDF signed, both verified
    assert "phông chữ nhúng" in next(line for line in lines if line.startswith("OK   Xuất báo cáo PDF"))
    assert "2 biểu đồ, đọc lại khớp" in next(line for line in lines if line.startswith("OK   Báo cáo tổng hợp Word"))
    assert "PDF" in next(line for line in lines if line.startswith("OK   Báo cáo tổng hợp Excel và PDF, PDF ở tiến trình phụ"))
    assert "FFTM" not in completed.stderr  # fontTools' subsetting chatter stays off the console
    assert "ĐẠT" in lines[-1]
    assert (tmp_path / "selftest.log").read_text(encoding="utf-8").splitlines()[-1] == lines[-1]
