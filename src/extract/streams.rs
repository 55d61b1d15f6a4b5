//! Decodes a PDF's streams once, before its pages are read.
//!
//! pdf-extract decodes a stream every time it uses it: each page rebuilds
//! its fonts, inflating every embedded font program and ToUnicode map again
//! (TrueType programs only to throw them away), and colour profiles and
//! form XObjects are inflated once per use. Inflating them in place once
//! turns every later use into a copy of the same bytes. Images stay
//! compressed: no text reader looks at them, and they are the bulk of a scan.

use lopdf::{Document, Object, Stream};

/// Replaces every decodable stream that text reading may use by its decoded
/// bytes. A stream whose filters cannot be decoded is left as it is, so
/// readers fall back to its raw bytes exactly as they would have.
pub(super) fn decode_once(document: &mut Document) {
    for object in document.objects.values_mut() {
        if let Object::Stream(stream) = object {
            if stream.is_compressed() && used_for_text(stream) {
                // On failure the stream is untouched: readers see the same
                // undecodable stream they would have seen anyway.
                let _ = stream.decompress();
            }
        }
    }
}

/// False for the streams no text reader needs: images, attached files,
/// XMP metadata, and the object and cross-reference streams that loading
/// has already consumed.
fn used_for_text(stream: &Stream) -> bool {
    let name_of = |key: &[u8]| {
        stream
            .dict
            .get(key)
            .and_then(Object::as_name)
            .ok()
            .map(<[u8]>::to_vec)
    };
    if name_of(b"Subtype").as_deref() == Some(b"Image") {
        return false;
    }
    !matches!(
        name_of(b"Type").as_deref(),
        Some(b"ObjStm" | b"XRef" | b"Metadata" | b"EmbeddedFile")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    fn compressed(dict: lopdf::Dictionary, content: &[u8]) -> Stream {
        let mut stream = Stream::new(dict, content.to_vec());
        stream.compress().expect("compresses");
        assert!(stream.is_compressed());
        stream
    }

    #[test]
    fn text_streams_are_decoded_in_place_and_images_are_not() {
        let mut document = Document::with_version("1.5");
        let content = b"BT /F1 12 Tf (Minutes of the meeting) Tj ET ".repeat(20);
        let page_content = document.add_object(compressed(dictionary! {}, &content));
        let font_file = document.add_object(compressed(
            dictionary! { "Length1" => 1000 },
            &b"font program ".repeat(50),
        ));
        let image = document.add_object(compressed(
            dictionary! { "Type" => "XObject", "Subtype" => "Image" },
            &[0u8; 4096],
        ));
        let metadata = document.add_object(compressed(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            &b"<x:xmpmeta/> ".repeat(50),
        ));

        decode_once(&mut document);

        let stream = |id| document.get_object(id).unwrap().as_stream().unwrap();
        assert!(!stream(page_content).is_compressed());
        assert_eq!(stream(page_content).content, content);
        assert!(!stream(font_file).is_compressed());
        assert!(stream(image).is_compressed());
        assert!(stream(metadata).is_compressed());
    }

    /// The bytes a reader gets from a stream, as pdf-extract takes them:
    /// decoded when decoding works, raw otherwise.
    fn bytes_read(stream: &Stream) -> Vec<u8> {
        stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone())
    }

    #[test]
    fn readers_get_the_same_bytes_from_undecodable_streams() {
        let mut document = Document::with_version("1.5");
        let raw = b"this is not deflate data at all".to_vec();
        let broken = document.add_object(Stream::new(
            dictionary! { "Filter" => "FlateDecode" },
            raw.clone(),
        ));
        let jpeg_in_form = document.add_object(Stream::new(
            dictionary! { "Filter" => "DCTDecode", "Subtype" => "Form" },
            raw.clone(),
        ));
        let stream = |document: &Document, id| {
            document
                .get_object(id)
                .unwrap()
                .as_stream()
                .unwrap()
                .clone()
        };
        let before: Vec<Vec<u8>> = [broken, jpeg_in_form]
            .iter()
            .map(|&id| bytes_read(&stream(&document, id)))
            .collect();

        decode_once(&mut document);

        let after: Vec<Vec<u8>> = [broken, jpeg_in_form]
            .iter()
            .map(|&id| bytes_read(&stream(&document, id)))
            .collect();
        assert_eq!(before, after);
        // A filter lopdf cannot decode is kept, and with it the raw bytes.
        assert!(stream(&document, jpeg_in_form).is_compressed());
        assert_eq!(stream(&document, jpeg_in_form).content, raw);
    }
}
