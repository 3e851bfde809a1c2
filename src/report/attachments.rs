//! Reads the files a PDF report carries (the JSON report, its signature, the public key), for
//! `confide verify` and `confide report --from`.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object};

/// A PDF's attachments by name, or why they could not be read.
pub fn read(pdf: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let doc = Document::load_mem(pdf).map_err(|e| format!("this is not a readable PDF ({e})"))?;
    let names = doc
        .catalog()
        .ok()
        .and_then(|c| c.get_deref(b"Names", &doc).ok())
        .and_then(|n| n.as_dict().ok())
        .and_then(|n| n.get_deref(b"EmbeddedFiles", &doc).ok())
        .and_then(|e| e.as_dict().ok());
    let mut files = BTreeMap::new();
    if let Some(tree) = names {
        collect(&doc, tree, &mut files, 0)?;
    }
    Ok(files)
}

/// Walks a name tree (its `Names` pairs and its `Kids`), depth-bounded against a looping file.
fn collect(
    doc: &Document,
    node: &Dictionary,
    files: &mut BTreeMap<String, Vec<u8>>,
    depth: usize,
) -> Result<(), String> {
    if depth > 16 {
        return Err("its list of attachments nests too deeply".into());
    }
    if let Ok(pairs) = node.get_deref(b"Names", doc).and_then(Object::as_array) {
        for pair in pairs.chunks(2) {
            let [name, spec] = pair else { continue };
            let name = doc
                .dereference(name)
                .ok()
                .and_then(|(_, n)| n.as_str().ok())
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            let stream = doc
                .dereference(spec)
                .ok()
                .and_then(|(_, s)| s.as_dict().ok())
                .and_then(|s| s.get_deref(b"EF", doc).ok())
                .and_then(|ef| ef.as_dict().ok())
                .and_then(|ef| ef.get_deref(b"F", doc).ok())
                .and_then(|f| f.as_stream().ok());
            if let Some(stream) = stream {
                let data = if stream.dict.has(b"Filter") {
                    stream
                        .decompressed_content()
                        .map_err(|e| format!("its attachment {name} is damaged ({e})"))?
                } else {
                    stream.content.clone()
                };
                files.insert(name, data);
            }
        }
    }
    if let Ok(kids) = node.get_deref(b"Kids", doc).and_then(Object::as_array) {
        for kid in kids {
            if let Ok((_, Object::Dictionary(d))) = doc.dereference(kid) {
                collect(doc, d, files, depth + 1)?;
            }
        }
    }
    Ok(())
}
