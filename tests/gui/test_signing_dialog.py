"""«Ký số» in the window: the action and the summary button open the dialog; the password never shows;
signing the exported files works from the dialog and a wrong password leaves them as they were."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "signing"))
from pki import PASSWORD, build_pki, write_p12  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def p12(tmp_path_factory):
    pki = build_pki()
    folder = tmp_path_factory.mktemp("keys")
    return write_p12(folder / "dak_ha.p12", pki.dak_ha, [pki.intermediate, pki.root]), pki


def _export(window, folder: Path) -> tuple[Path, Path]:
    from readiness.exchange import ExportContext, write_report_pdf, write_submission

    session = window.ops.session
    session.set_answers({"respondent": "Nguyễn Thị Hoà", "officers": 25})
    ctx = ExportContext.from_session(session)
    return write_submission(ctx, folder / "23500.xlsx").path, write_report_pdf(ctx, folder / "23500.pdf")


def test_signing_dialog__signs_the_exported_files(make_window, qtbot, tmp_path, p12, message_boxes):
    from PySide6.QtWidgets import QLineEdit

    from readiness.exchange import read_submission
    from readiness.signing.sign import find_commune
    from readiness.signing.verify import verify_submission

    key_file, pki = p12
    window = make_window(open_commune="23500")
    actions = window.signing_actions
    assert actions.act_sign.isEnabled() and actions.act_sign in window.menu("file").actions()
    window.show_summary()
    assert actions.summary_button is not None and actions.summary_button.text() == "Ký số…"
    xlsx, pdf = _export(window, tmp_path)
    actions._exported([xlsx, pdf])  # as after «Xuất tệp gửi Sở»
    dialog = actions.open_dialog()
    qtbot.waitExposed(dialog)
    assert dialog.xlsx_edit.text() == str(xlsx) and dialog.pdf_edit.text() == str(pdf)
    assert dialog.secret_edit.echoMode() == QLineEdit.EchoMode.Password
    dialog.use_file.setChecked(True)
    dialog.key_edit.setText(str(key_file))

    dialog.secret_edit.setText("sai")
    before = xlsx.read_bytes()
    with qtbot.waitSignal(dialog.failed, timeout=60000):
        dialog.sign()
    assert xlsx.read_bytes() == before and dialog.secret_edit.text() == ""
    assert "E-SIGN-PASSWORD" in dialog.status.text()

    dialog.secret_edit.setText(PASSWORD)
    with qtbot.waitSignal(dialog.signed, timeout=60000) as signed:
        dialog.sign()
    assert signed.args[0].signer.organization == "UBND xã Đăk Hà"
    assert message_boxes.kinds()[-1] == "information" and "Ký bởi: Ủy ban nhân dân xã Đăk Hà" in message_boxes.calls[-1][2]
    submission = read_submission(xlsx, library=window.workspace.library)
    result = verify_submission(submission, roots=[pki.root.cert], commune=find_commune("23500"), pdf=pdf)
    assert result.status == "valid" and result.pdf.status == "valid"
    assert window.workspace.store.get_setting("gui.signing.pkcs12") == str(key_file)


def test_signing_action__disabled_without_an_assessment(make_window):
    window = make_window()
    assert not window.signing_actions.act_sign.isEnabled()
    assert window.signing_actions.open_dialog() is None
