//! The practitioner's signing key and the signatures it makes, in minisign's format (ed25519), so
//! that a supervisor can see that a report was not changed after confide wrote it, with confide
//! or with the `minisign` tool itself.
//!
//! The key is made once, the first time a report is signed, and kept in confide's data folder
//! (`signing-key.minisign`, readable only by its owner); it is never written into a report. The
//! public half is derived from it whenever it is needed, so the two can never disagree.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use crate::system::files::{InputKind, read_input};
use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox, SignatureBox};
use sha2::{Digest, Sha256};

/// The secret key's file name in the data folder.
pub const KEY_FILE: &str = "signing-key.minisign";

/// What a signed report carries besides the report: the signature, the public key to check it
/// with, and the key's fingerprint as every page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    /// A `.minisig` file's text.
    pub signature: String,
    /// A minisign public key file's text.
    pub public_key: String,
    pub fingerprint: String,
}

/// Why a key could not be made, read or used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the signing key {path}: {why}")]
    Unreadable { path: PathBuf, why: String },
    #[error("cannot save a new signing key in {dir}: {why}")]
    Unwritable { dir: PathBuf, why: String },
    #[error("cannot sign: {0}")]
    Sign(String),
}

/// The practitioner's key pair.
pub struct Key {
    secret: SecretKey,
    public: PublicKey,
}

impl Key {
    /// The key in `dir`, made (atomically, readable only by its owner) when there is none yet.
    /// Two confide processes making one at once end up with the same key: the second keeps the
    /// first one's file.
    pub fn load_or_create(dir: &Path) -> Result<Key, KeyError> {
        let path = dir.join(KEY_FILE);
        if path.exists() {
            return Key::load(&path);
        }
        let unwritable = |why: String| KeyError::Unwritable {
            dir: dir.to_path_buf(),
            why,
        };
        std::fs::create_dir_all(dir).map_err(|e| unwritable(e.to_string()))?;
        let pair = KeyPair::generate_unencrypted_keypair().map_err(|e| unwritable(e.to_string()))?;
        let text = pair
            .sk
            .to_box(Some("confide signing key: keep it private"))
            .map_err(|e| unwritable(e.to_string()))?
            .into_string();
        // tempfile creates the file readable and writable by its owner only (0600 on Unix).
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| unwritable(e.to_string()))?;
        tmp.write_all(text.as_bytes()).map_err(|e| unwritable(e.to_string()))?;
        tmp.as_file().sync_all().map_err(|e| unwritable(e.to_string()))?;
        match tmp.persist_noclobber(&path) {
            Ok(_) => Key::load(&path),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Key::load(&path),
            Err(e) => Err(unwritable(e.error.to_string())),
        }
    }

    /// The key in `dir`, if one was made; `Ok(None)` when there is none.
    pub fn existing(dir: &Path) -> Result<Option<Key>, KeyError> {
        let path = dir.join(KEY_FILE);
        if path.exists() {
            Key::load(&path).map(Some)
        } else {
            Ok(None)
        }
    }

    fn load(path: &Path) -> Result<Key, KeyError> {
        let unreadable = |why: String| KeyError::Unreadable {
            path: path.to_path_buf(),
            why,
        };
        // Through the capped reader: a key is a few hundred bytes, never a pipe or a device.
        let text = read_input(path, InputKind::Key)
            .map_err(|e| {
                // Its message begins with what was being read, which the error already says.
                unreadable(
                    e.message
                        .split_once(": ")
                        .map_or(e.message.clone(), |(_, why)| why.to_string()),
                )
            })?
            .ok_or_else(|| unreadable("there is no such file".into()))?;
        let secret = SecretKeyBox::from_string(&text)
            .and_then(SecretKeyBox::into_unencrypted_secret_key)
            .map_err(|e| unreadable(format!("{e} (move the file away and confide makes a new key)")))?;
        let public = PublicKey::from_secret_key(&secret).map_err(|e| unreadable(e.to_string()))?;
        Ok(Key { secret, public })
    }

    /// The public key as a minisign `.pub` file's text.
    pub fn public_key_text(&self) -> String {
        self.public
            .to_box()
            .map(PublicKeyBox::into_string)
            .unwrap_or_else(|_| self.public.to_base64())
    }

    pub fn fingerprint(&self) -> String {
        fingerprint(&self.public)
    }

    /// Signs `data`; `comment` is signed too (minisign's trusted comment).
    pub fn sign(&self, data: &[u8], comment: &str) -> Result<Seal, KeyError> {
        let signature = minisign::sign(
            Some(&self.public),
            &self.secret,
            Cursor::new(data),
            Some(comment),
            Some("signature from a confide report"),
        )
        .map_err(|e| KeyError::Sign(e.to_string()))?;
        Ok(Seal {
            signature: signature.into_string(),
            public_key: self.public_key_text(),
            fingerprint: self.fingerprint(),
        })
    }
}

/// A key's fingerprint: the first 96 bits of the SHA-256 of the whole public key, in groups of
/// four hex digits. Unlike minisign's 64-bit key id, which the key's maker chooses, it cannot be
/// copied onto another key.
pub fn fingerprint(key: &PublicKey) -> String {
    let digest = Sha256::digest(key.to_bytes());
    digest[..12]
        .chunks(2)
        .map(|pair| format!("{:02X}{:02X}", pair[0], pair[1]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads a public key given as a `.pub` file's text or as its one base64 line.
pub fn parse_public_key(text: &str) -> Result<PublicKey, String> {
    let text = text.trim();
    let from_box = PublicKeyBox::from_string(text).and_then(PublicKeyBox::into_public_key);
    from_box
        .or_else(|_| PublicKey::from_base64(text))
        .map_err(|e| format!("not a minisign public key ({e})"))
}

/// What a signature check found.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The data is exactly what the key signed; the signed comment.
    Intact { trusted_comment: String },
    /// The signature was made with another key.
    OtherKey,
    /// The key matches but the data or the signature was changed.
    Changed,
}

/// Checks `data` against a `.minisig` text and a public key. A signature that cannot even be
/// read is an error (bad input), not a verdict.
pub fn verify(data: &[u8], signature: &str, key: &PublicKey) -> Result<Verdict, String> {
    let sig = SignatureBox::from_string(signature).map_err(|e| format!("not a minisign signature ({e})"))?;
    let trusted_comment = sig.trusted_comment().unwrap_or_default();
    if sig.keynum() != key.keynum() {
        return Ok(Verdict::OtherKey);
    }
    Ok(
        match minisign::verify(key, &sig, Cursor::new(data), true, false, false) {
            Ok(()) => Verdict::Intact { trusted_comment },
            Err(_) => Verdict::Changed,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_private_and_signs_what_verify_accepts() {
        let dir = tempfile::tempdir().unwrap();
        let key = Key::load_or_create(dir.path()).unwrap();
        let again = Key::load_or_create(dir.path()).unwrap();
        assert_eq!(key.fingerprint(), again.fingerprint());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        let seal = key.sign(b"{\"a\":1}\n", "confide report").unwrap();
        let public = parse_public_key(&seal.public_key).unwrap();
        assert_eq!(fingerprint(&public), seal.fingerprint);
        assert!(matches!(
            verify(b"{\"a\":1}\n", &seal.signature, &public),
            Ok(Verdict::Intact { trusted_comment }) if trusted_comment == "confide report"
        ));
        assert_eq!(verify(b"{\"a\":2}\n", &seal.signature, &public), Ok(Verdict::Changed));

        let other = Key::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        assert_eq!(
            verify(b"{\"a\":1}\n", &seal.signature, &other.public),
            Ok(Verdict::OtherKey)
        );
        assert!(verify(b"x", "not a signature", &public).is_err());
    }
}
