//! Who may call `serve`: API keys, one per client, kept as SHA-256 hashes in the config file and
//! compared in constant time (`docs/serve.md`, "Who may call").

use anyhow::{Result, bail};
use axum::http::HeaderMap;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// `auth:` of the config file
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Who may screen, explain and check
    #[serde(default)]
    pub clients: Vec<Key>,
    /// Who may also call `/admin/*`
    #[serde(default)]
    pub admins: Vec<Key>,
}

/// One caller's key
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Key {
    /// Who it is, as the decision log names them
    pub name: String,
    /// The SHA-256 of the key, in hex (`printf %s KEY | sha256sum`)
    pub key_sha256: String,
}

/// The keys, checked and decoded
#[derive(Debug, Clone)]
pub struct Keys {
    clients: Vec<(String, [u8; 32])>,
    admins: Vec<(String, [u8; 32])>,
}

/// What a caller may do
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Client,
    Admin,
}

/// The caller, once known: the name of the key they gave
#[derive(Debug, Clone)]
pub struct Caller(pub String);

impl Keys {
    /// The keys of the settings; an error names an entry whose hash is not 64 hex digits
    pub fn new(settings: &AuthSettings) -> Result<Keys> {
        let decode = |keys: &[Key], what: &str| -> Result<Vec<(String, [u8; 32])>> {
            keys.iter()
                .enumerate()
                .map(|(i, k)| {
                    let Some(hash) = hex32(&k.key_sha256) else {
                        bail!(
                            "auth.{what}[{i}] ({}): key_sha256 must be the 64 hex digits of a \
SHA-256 (printf %s KEY | sha256sum)",
                            k.name
                        )
                    };
                    Ok((k.name.clone(), hash))
                })
                .collect()
        };
        Ok(Keys {
            clients: decode(&settings.clients, "clients")?,
            admins: decode(&settings.admins, "admins")?,
        })
    }

    /// Whether any key is set: without one, anyone who reaches the server may call it
    pub fn any(&self) -> bool {
        !self.clients.is_empty() || !self.admins.is_empty()
    }

    /// Who the request's key (`Authorization: Bearer KEY` or `X-Api-Key: KEY`) belongs to, if
    /// they may act as `role`: `Ok(None)` when no key is set at all, `Err` with the status to
    /// answer (401 no or an unknown key, 403 a client's key on an admin's endpoint)
    pub fn check(&self, headers: &HeaderMap, role: Role) -> Result<Option<Caller>, u16> {
        if !self.any() {
            return Ok(None);
        }
        let Some(given) = key_of(headers) else {
            return Err(401);
        };
        let hash: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        // Every key compared, in constant time: neither the timing nor the order tells which
        let find = |keys: &[(String, [u8; 32])]| {
            let mut found = None;
            for (name, h) in keys {
                if bool::from(h.ct_eq(&hash)) {
                    found = Some(name.clone());
                }
            }
            found
        };
        if let Some(name) = find(&self.admins) {
            return Ok(Some(Caller(name)));
        }
        match find(&self.clients) {
            Some(_) if role == Role::Admin => Err(403),
            Some(name) => Ok(Some(Caller(name))),
            None => Err(401),
        }
    }
}

/// The key a request gives
fn key_of(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, key)| key.trim())
        });
    bearer
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
        .filter(|k| !k.is_empty())
}

/// 32 bytes from 64 hex digits
fn hex32(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn sha(key: &str) -> String {
        Sha256::digest(key.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn keys() -> Keys {
        Keys::new(&AuthSettings {
            clients: vec![Key {
                name: "hub".into(),
                key_sha256: sha("client-secret"),
            }],
            admins: vec![Key {
                name: "ops".into(),
                key_sha256: sha("admin-secret").to_uppercase(),
            }],
        })
        .unwrap()
    }

    fn with(name: &'static str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn keys_name_their_caller_and_roles_are_kept_apart() {
        let k = keys();
        let bearer = with("authorization", "Bearer client-secret");
        assert_eq!(k.check(&bearer, Role::Client).unwrap().unwrap().0, "hub");
        assert_eq!(k.check(&bearer, Role::Admin).unwrap_err(), 403);
        let admin = with("x-api-key", "admin-secret");
        assert_eq!(k.check(&admin, Role::Admin).unwrap().unwrap().0, "ops");
        assert_eq!(k.check(&admin, Role::Client).unwrap().unwrap().0, "ops");
        assert_eq!(
            k.check(
                &with("authorization", "bearer  client-secret "),
                Role::Client
            )
            .unwrap()
            .unwrap()
            .0,
            "hub"
        );
        for wrong in [
            HeaderMap::new(),
            with("authorization", "Bearer client-secre"),
            with("authorization", "Basic client-secret"),
            with("x-api-key", ""),
        ] {
            assert_eq!(k.check(&wrong, Role::Client).unwrap_err(), 401, "{wrong:?}");
        }
    }

    #[test]
    fn without_keys_anyone_may_call() {
        let k = Keys::new(&AuthSettings::default()).unwrap();
        assert!(!k.any());
        assert!(k.check(&HeaderMap::new(), Role::Admin).unwrap().is_none());
    }

    #[test]
    fn a_hash_that_is_not_one_is_an_error_naming_the_entry() {
        let e = Keys::new(&AuthSettings {
            clients: vec![Key {
                name: "hub".into(),
                key_sha256: "client-secret".into(),
            }],
            admins: vec![],
        })
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("auth.clients[0] (hub): key_sha256 must be"),
            "{e}"
        );
    }
}
