//! `Link` header parsing (TG4, RSL2): `<./messages?limit=1&start=2>; rel="next", <…>; rel="first"`.
//! As ably-js, only `./<word>?<query>` targets are accepted; the page is re-requested on the same
//! path with that query.

/// The `?query` of the link with relation `rel`, if any, as `messages?query` → `?query`.
pub(crate) fn find(header: &str, rel: &str) -> Option<String> {
    header.split(',').find_map(|link| {
        let link = link.trim();
        let (target, params) = link.strip_prefix('<')?.split_once('>')?;
        let has_rel = params.split(';').any(|p| {
            let p = p.trim();
            p.strip_prefix("rel=").map(|v| v.trim_matches('"')) == Some(rel)
        });
        if !has_rel {
            return None;
        }
        let rest = target.strip_prefix("./")?;
        let (word, query) = rest.split_once('?')?;
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        Some(["?", query].concat())
    })
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn tg4_next_link() {
        let h = r#"<./messages?limit=2&direction=backwards&end=123>; rel="first", <./messages?limit=2&end=100>; rel="next""#;
        assert_eq!(find(h, "next").as_deref(), Some("?limit=2&end=100"));
        assert_eq!(
            find(h, "first").as_deref(),
            Some("?limit=2&direction=backwards&end=123")
        );
        assert_eq!(find(h, "last"), None);
        // Without the ./ prefix there is no next (as ably-js).
        assert_eq!(
            find(r#"</channels/a/messages?x=1>; rel="next""#, "next"),
            None
        );
        assert_eq!(find("garbage", "next"), None);
    }
}
