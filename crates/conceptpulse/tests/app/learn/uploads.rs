//! Uploads that cannot be used: missing fields, no file, a zero-byte file, a file that is
//! not a PDF, one over 50 MB, a form that is not multipart — each re-renders the form with
//! what to do and what was typed, and nothing is stored. And an encrypted PDF: refused
//! while processing with Kiro's suggestion, retried with a wrong password, then opened.

use kiro_sdk::kiro_types::assessment::MAX_PDF_BYTES;
use reqwest::StatusCode;

use super::{EINSTEIN, LOCKED, Live, corpus, form, post_upload, upload};
use crate::App;
use crate::web::{browser, location, sign_up};

/// One refused upload: the form sent and what the page must answer.
struct Case {
    name: &'static str,
    fields: Vec<(&'static str, &'static str)>,
    file: Option<(&'static str, Vec<u8>)>,
    status: StatusCode,
    says: &'static str,
}

async fn bad_uploads_keep_the_form_and_store_nothing(app: App) -> anyhow::Result<()> {
    let web = browser()?;
    sign_up(&app, &web, "Bo", "bo@example.com").await?;
    let pdf = corpus(EINSTEIN)?;

    let with = |subject: &'static str| vec![("subject", subject), ("topic", "Relativity")];
    let cases = [
        Case {
            name: "no subject",
            fields: with(" "),
            file: Some((EINSTEIN, pdf.clone())),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            says: "Name the subject",
        },
        Case {
            name: "no file part",
            fields: with("Physics"),
            file: None,
            status: StatusCode::UNPROCESSABLE_ENTITY,
            says: "Choose the PDF file",
        },
        Case {
            name: "no file chosen",
            fields: with("Physics"),
            file: Some(("", Vec::new())),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            says: "Choose the PDF file",
        },
        Case {
            name: "a zero-byte file",
            fields: with("Physics"),
            file: Some(("empty.pdf", Vec::new())),
            status: StatusCode::BAD_REQUEST,
            says: "empty (0 bytes)",
        },
        Case {
            name: "not a PDF",
            fields: with("Physics"),
            file: Some(("notes.pdf", b"PK\x03\x04 a zip in disguise".to_vec())),
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            says: "not a PDF",
        },
    ];
    for case in cases {
        let name = case.name;
        let response = post_upload(&app, &web, form(&case.fields, case.file)).await?;
        assert_eq!(response.status(), case.status, "{name}");
        let page = response.text().await?;
        assert!(page.contains(case.says), "{name}: {page}");
        assert!(page.contains(r#"role="alert""#), "{name}");
        assert!(
            page.contains(r#"value="Relativity""#),
            "{name} keeps the topic"
        );
        assert!(
            page.contains("Nothing uploaded yet"),
            "{name} stored nothing"
        );
    }

    let mut huge = b"%PDF-1.4\n".to_vec();
    huge.resize(usize::try_from(MAX_PDF_BYTES)? + 1, b' ');
    let fields = [("subject", "Physics"), ("topic", "")];
    let response = post_upload(&app, &web, form(&fields, Some(("huge.pdf", huge)))).await?;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = response.text().await?;
    assert!(
        page.contains("50 MB") && page.contains(r#"value="Physics""#),
        "{page}"
    );

    let not_multipart = web
        .post(app.url("/learn/upload"))
        .form(&[("subject", "Physics")])
        .send()
        .await?;
    assert_eq!(not_multipart.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let listed = web
        .get(app.url("/learn/upload"))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        listed.contains("Nothing uploaded yet"),
        "nothing was stored"
    );
    Ok(())
}

async fn an_encrypted_pdf_is_retried_with_its_password(app: App) -> anyhow::Result<()> {
    let web = browser()?;
    sign_up(&app, &web, "Cy", "cy@example.com").await?;
    let mut live = Live::open(&app, &web).await?;
    let id = upload(&app, &web, "Security", LOCKED).await?;
    assert_eq!(live.processed(&app, &web, &id).await?, "failed");
    let page = web
        .get(app.url(&format!("/learn/documents/{id}")))
        .send()
        .await?
        .text()
        .await?;
    assert!(page.contains("needs its password"), "{page}");
    assert!(page.contains("What to do:") && page.contains("password"));
    let retry = format!("/learn/documents/{id}/password");
    assert!(
        page.contains(&format!(r#"action="{retry}""#)),
        "the file was kept"
    );

    let empty = web
        .post(app.url(&retry))
        .form(&[("password", "")])
        .send()
        .await?;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().await?.contains("Type the PDF"));

    let wrong = web
        .post(app.url(&retry))
        .form(&[("password", "not-the-password")])
        .send()
        .await?;
    assert_eq!(wrong.status(), StatusCode::SEE_OTHER);
    let second = location(&wrong)
        .strip_prefix("/learn/documents/")
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("the retry led to {}", location(&wrong)))?;
    assert_ne!(second, id, "a failed document is replaced");
    assert_eq!(live.processed(&app, &web, &second).await?, "failed");
    let page = web
        .get(app.url(&format!("/learn/documents/{second}")))
        .send()
        .await?
        .text()
        .await?;
    assert!(page.contains("does not open this PDF"), "{page}");
    let retry = format!("/learn/documents/{second}/password");
    assert!(page.contains(&format!(r#"action="{retry}""#)));

    let right = web
        .post(app.url(&retry))
        .form(&[("password", "openpassword")])
        .send()
        .await?;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    let third = location(&right)
        .trim_start_matches("/learn/documents/")
        .to_owned();
    live.processed(&app, &web, &third).await?;
    let page = web
        .get(app.url(&format!("/learn/documents/{third}")))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        !page.contains("needs its password") && !page.contains("does not open"),
        "{page}"
    );
    let gone = web
        .post(app.url(&format!("/learn/documents/{id}/password")))
        .form(&[("password", "openpassword")])
        .send()
        .await?;
    assert_eq!(
        gone.status(),
        StatusCode::CONFLICT,
        "the first file is no longer kept"
    );
    Ok(())
}

crate::on_both_backends!(
    bad_uploads_keep_the_form_and_store_nothing,
    an_encrypted_pdf_is_retried_with_its_password,
);
