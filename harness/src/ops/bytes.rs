//! Bytes as the protocol writes them: a JSON string when they are UTF-8,
//! else `{"$base64": "..."}`; either spelling is read.

use std::borrow::Cow;

use base64::Engine as _;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::protocol::BYTES_MARKER;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl Bytes {
    /// The JSON form: a string when UTF-8, else `$base64`.
    pub fn to_value(bytes: &[u8]) -> Value {
        match std::str::from_utf8(bytes) {
            Ok(s) => Value::String(s.to_owned()),
            Err(_) => serde_json::json!({
                BYTES_MARKER: base64::engine::general_purpose::STANDARD.encode(bytes)
            }),
        }
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(b: Vec<u8>) -> Self {
        Bytes(b)
    }
}

impl From<&[u8]> for Bytes {
    fn from(b: &[u8]) -> Self {
        Bytes(b.to_vec())
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => s.serialize_str(text),
            Err(_) => {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(
                    BYTES_MARKER,
                    &base64::engine::general_purpose::STANDARD.encode(&self.0),
                )?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Bytes;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes: a string or {\"$base64\": \"...\"}")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Bytes, E> {
                Ok(Bytes(v.as_bytes().to_vec()))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Bytes, A::Error> {
                let mut out = None;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if key != BYTES_MARKER {
                        return Err(de::Error::custom(format!(
                            "bytes are a string or {{\"$base64\": ...}}, not a member {key:?}"
                        )));
                    }
                    if out.is_some() {
                        return Err(de::Error::duplicate_field(BYTES_MARKER));
                    }
                    let b64: Cow<'de, str> = map.next_value()?;
                    let decoded = base64::engine::general_purpose::STANDARD
                        .decode(b64.as_bytes())
                        .map_err(|e| de::Error::custom(format!("$base64: {e}")))?;
                    out = Some(decoded);
                }
                out.map(Bytes)
                    .ok_or_else(|| de::Error::missing_field(BYTES_MARKER))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Bytes {
    fn schema_name() -> Cow<'static, str> {
        "Bytes".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Bytes: a JSON string (its UTF-8), or {\"$base64\": standard base64 with padding}.",
            "anyOf": [
                { "type": "string" },
                {
                    "type": "object",
                    "required": [BYTES_MARKER],
                    "additionalProperties": false,
                    "properties": { BYTES_MARKER: { "type": "string", "contentEncoding": "base64" } }
                }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_read_and_text_is_written_as_a_string() {
        let b: Bytes = serde_json::from_value(serde_json::json!({"$base64": "aGk="})).unwrap();
        assert_eq!(b.0, b"hi");
        assert_eq!(serde_json::to_value(&b).unwrap(), serde_json::json!("hi"));
        let raw = Bytes(vec![0xff]);
        assert_eq!(
            serde_json::to_value(&raw).unwrap(),
            serde_json::json!({"$base64": "/w=="})
        );
        for bad in [
            serde_json::json!({"$base64": "!"}),
            serde_json::json!({"$base64": "aGk=", "x": 1}),
            serde_json::json!({}),
            serde_json::json!(1),
        ] {
            assert!(
                serde_json::from_value::<Bytes>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }
}
