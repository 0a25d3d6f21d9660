"""Label pages: issue a batch, print it as PDF, print one label."""

import pypdfium2 as pdfium
import zxingcpp

from server.db.tables import Tag


async def test_issue_then_print_a_batch_and_a_single_label(console):
    await console.login("admin")
    a, w = console.world.site_a, console.world
    r = await console.post(f"/console/setup/sites/{a}/labels/issue", {"location": [str(w.locations["a_old"])]},
                           follow_redirects=False)
    assert r.status_code == 303 and "batch=" in r.headers["location"]
    batch = r.headers["location"].split("batch=")[1].split("&")[0]
    page = await console.client.get(r.headers["location"])
    assert 'id="print-new-batch"' in page.text
    pdf = await console.client.get(f"/console/setup/sites/{a}/labels.pdf", params={"batch": batch})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    code = (await Tag.select(Tag.code).where(Tag.batch == batch).first().run())["code"]
    image = pdfium.PdfDocument(pdf.content)[0].render(scale=2).to_pil()
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [f"http://testserver.local/t/{code}"]
    tag_id = (await Tag.select(Tag.id).where(Tag.code == code).first().run())["id"]
    one = await console.client.get(f"/console/setup/sites/{a}/labels.pdf", params={"tag": tag_id, "layout": "single"})
    assert one.status_code == 200
    nothing = await console.post(f"/console/setup/sites/{a}/labels/issue", {})
    assert nothing.status_code == 422 and 'data-code="validation_error"' in nothing.text
