// A mimispec adapter skeleton in Java 17, no dependencies.
//
// Every op of the suite is declared and answered "unsupported", so a run
// passes with every case unsupported. Fill it in one op at a time: replace a
// stub below with a call into your library and return result(...) or
// error(...). Input and result shapes: harness/PROTOCOL.md, or
// `mimispec schema OP`.
//
//   javac -d build Adapter.java
//   mimispec run --impl 'java -cp build Adapter'              # one process for the run
//   mimispec run --impl 'java -cp build Adapter' --one-shot   # one process per case
//   javac -d build Adapter.java AdapterTest.java && java -cp build AdapterTest   # its own checks
//
// The JDK has no JSON, so Json at the end is a small reader and writer for
// the protocol's lines (RFC 8259): objects are LinkedHashMap<String, Object>,
// arrays List<Object>, numbers Long, BigInteger or Double. If your build
// already has Jackson or Gson, use it instead.

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class Adapter {
    static final String NAME = "java-skeleton"; // your implementation's name and version, for reports
    static final String VERSION = "0.1.0";
    // Optional features you support (PROTOCOL.md, Features), such as "enum-apex".
    static final List<String> FEATURES = List.of();

    /** An input that breaks its op's documented shape (a harness bug). */
    static final class BadInput extends Exception {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message);
        }
    }

    /** An answer's one member: "result", "error" or "unsupported", and its value. */
    record Answer(String kind, Object value) {}

    interface Op {
        Answer call(Map<String, Object> input) throws BadInput;
    }

    static Answer result(Object value) {
        return new Answer("result", value);
    }

    /** A rejection: the suite's code (PROTOCOL.md lists each op's) or yours
     *  (map yours with an error-map in your --expect file). */
    static Answer error(String code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        return new Answer("error", e);
    }

    /** What a stub answers. The reason names the sizes of the bytes it
     *  decoded, so a run shows each stub read its input (ci/skeletons/check.sh
     *  checks them); any string will do once you fill it in. */
    static Answer unsupported(byte[]... read) {
        if (read.length == 0) {
            return new Answer("unsupported", "not implemented yet");
        }
        List<String> sizes = new ArrayList<>();
        for (byte[] b : read) {
            sizes.add(Integer.toString(b.length));
        }
        return new Answer("unsupported", "not implemented yet (bytes read: " + String.join(", ", sizes) + ")");
    }

    /** An input member documented as bytes: a JSON string (its UTF-8) or
     *  {"$base64": "..."} (standard alphabet, padded). */
    static byte[] bytes(Map<String, Object> input, String member) throws BadInput {
        return asBytes(input.get(member));
    }

    static byte[] asBytes(Object value) throws BadInput {
        if (value instanceof String s) {
            try {
                ByteBuffer b = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(s));
                byte[] out = new byte[b.remaining()];
                b.get(out);
                return out;
            } catch (CharacterCodingException e) { // a lone surrogate from a \\u escape
                throw new BadInput("bytes: a lone surrogate is not UTF-8");
            }
        }
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("$base64") instanceof String b64) {
            // The JDK's decoder takes unpadded input too; the protocol pads.
            if (b64.length() % 4 != 0) {
                throw new BadInput("$base64: not padded standard base64");
            }
            try {
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new BadInput("$base64: " + e.getMessage());
            }
        }
        throw new BadInput("bytes are a string or {\"$base64\": \"...\"}");
    }

    /** Bytes for a result member: a JSON string when they are UTF-8, else
     *  {"$base64": "..."}. Example: return result(Map.of("entity", bytesValue(out))); */
    static Object bytesValue(byte[] data) {
        try {
            // A new decoder reports malformed input rather than replacing it.
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return Map.of("$base64", Base64.getEncoder().encodeToString(data));
        }
    }

    static Map<String, Object> object(Object value) throws BadInput {
        if (!(value instanceof Map<?, ?>)) {
            throw new BadInput("not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) value;
        return m;
    }

    static List<Object> array(Map<String, Object> input, String member) throws BadInput {
        if (!(input.get(member) instanceof List<?>)) {
            throw new BadInput(member + " is not an array");
        }
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) input.get(member);
        return l;
    }

    // One stub per op, in PROTOCOL.md's order. Each gets the case's input and
    // returns result(...), error(...) or unsupported(...).

    // input {text}
    // result {id_left, id_right}
    static Answer immiMsgIdParse(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {text}
    // result {msg_id: object, name}
    static Answer immiMsgIdHeaderParse(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {text}
    // result {entries: [object]}
    static Answer immiDispositionNotificationParse(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {entries: [{msg_id, status}]}
    // result {text}
    static Answer immiDispositionNotificationBuild(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {text}
    // result {fraction, offset_minutes: integer, unknown_offset: boolean, utc}
    static Answer immiDatetimeParse(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {message: bytes}
    // result {body: bytes, content_disposition: object, content_length: integer,
    //     content_type: object, datetime: object, dispositions: [object], expires: object,
    //     expiring: boolean, from: object, headers: [object], in_reply_to, kind,
    //     message_id, supersedes}
    static Answer immiMessageParse(Map<String, Object> input) throws BadInput {
        byte[] message = bytes(input, "message");
        return unsupported(message);
    }

    // input {message: bytes}
    // result {body: bytes, content_disposition: object, content_type: object, datetime:
    //     object, dispositions: [object], expires: object, expiring: boolean, from: object,
    //     in_reply_to, kind, message_id, supersedes}
    static Answer immiMessageSummary(Map<String, Object> input) throws BadInput {
        byte[] message = bytes(input, "message");
        return unsupported(message);
    }

    // input {body: bytes, content_disposition?, content_type?, datetime, expires?, from:
    //     {display_name?, uri}, in_reply_to?, message_id, supersedes?}
    // result {message: bytes}
    static Answer immiMessageBuild(Map<String, Object> input) throws BadInput {
        byte[] body = bytes(input, "body");
        return unsupported(body);
    }

    // input {members: object, message: bytes, required: [string]}
    // result {reason?, render: object, sendable: boolean}
    static Answer immiContentNegotiate(Map<String, Object> input) throws BadInput {
        byte[] message = bytes(input, "message");
        return unsupported(message);
    }

    // input {events: [{message: bytes, sender}], known_reactions?: [string], now}
    // result {ignored: [object], messages: [object], rejected: [object]}
    static Answer immiConversationApply(Map<String, Object> input) throws BadInput {
        List<byte[]> messages = new ArrayList<>();
        for (Object event : array(input, "events")) {
            messages.add(bytes(object(event), "message"));
        }
        return unsupported(messages.toArray(new byte[0][]));
    }

    // input {text}
    // result {record: object, status, unknown_tags: object} | {reason, status, v}
    static Answer discoveryMssiParse(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {text}
    // result {mui}
    static Answer discoveryMuiParse(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {apex?, number}
    // result {domain}
    static Answer discoveryEnumDomain(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {address, mimix_target}
    // result {mui}
    static Answer discoveryEmailMui(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {dns: {mimi_type: integer, mimix_type: integer, server, timeout_ms?: integer},
    //     identifier, kind, oracle?}
    // result {mui, services: [object], via}
    static Answer discoveryIdentifierResolve(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {text}
    // result {parameters: object, subtype, type}
    static Answer applicationMimeContentTypeParse(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {entity: bytes}
    // result {boundary, epilogue?: bytes, parts: [bytes], preamble?: bytes}
    static Answer applicationMimeMultipartParse(Map<String, Object> input) throws BadInput {
        byte[] entity = bytes(input, "entity");
        return unsupported(entity);
    }

    // input {entity: bytes}
    // result {entity: bytes}
    static Answer applicationMimeWrapperWrap(Map<String, Object> input) throws BadInput {
        byte[] entity = bytes(input, "entity");
        return unsupported(entity);
    }

    // input {depth?: integer, entity: bytes}
    // result {entity: bytes, layers: integer}
    static Answer applicationMimeWrapperUnwrap(Map<String, Object> input) throws BadInput {
        byte[] entity = bytes(input, "entity");
        return unsupported(entity);
    }

    // input {entity: bytes}
    // result {contained_type, parameters: object}
    static Answer applicationMimeWrapperDescribe(Map<String, Object> input) throws BadInput {
        byte[] entity = bytes(input, "entity");
        return unsupported(entity);
    }

    // input {entity: bytes}
    // result {transfer_encoding}
    static Answer applicationMimeEntityTransferEncoding(Map<String, Object> input) throws BadInput {
        byte[] entity = bytes(input, "entity");
        return unsupported(entity);
    }

    // input {entity: bytes}
    // result {class, long_lines: boolean}
    static Answer applicationMimeEntityDataClass(Map<String, Object> input) throws BadInput {
        byte[] entity = bytes(input, "entity");
        return unsupported(entity);
    }

    // input {message: bytes}
    // result {parts: [object]}
    static Answer applicationMimePartsList(Map<String, Object> input) throws BadInput {
        byte[] message = bytes(input, "message");
        return unsupported(message);
    }

    // input {message: bytes}
    // result {wrappers: [bytes]}
    static Answer applicationMimeWrappersList(Map<String, Object> input) throws BadInput {
        byte[] message = bytes(input, "message");
        return unsupported(message);
    }

    // input {action, message: bytes}
    // result {message: bytes}
    static Answer applicationMimeGatewayProcess(Map<String, Object> input) throws BadInput {
        byte[] message = bytes(input, "message");
        return unsupported(message);
    }

    // input {peer_version}
    // result {send}
    static Answer pepVersionChoose(Map<String, Object> input) throws BadInput {
        return unsupported();
    }

    // input {message: bytes, recipient_key: bytes, sender_key: bytes, version}
    // result {message: bytes}
    static Answer pepMessageWrap(Map<String, Object> input) throws BadInput {
        byte[] message = bytes(input, "message");
        byte[] recipientKey = bytes(input, "recipient_key");
        byte[] senderKey = bytes(input, "sender_key");
        return unsupported(message, recipientKey, senderKey);
    }

    // input {message: bytes, recipient_key: bytes}
    // result {body: object, forwarded_attachments: integer, headers: [[string, string]],
    //     sender_fpr, subject, version_detected, wrapped_info}
    static Answer pepMessageUnwrap(Map<String, Object> input) throws BadInput {
        byte[] message = bytes(input, "message");
        byte[] recipientKey = bytes(input, "recipient_key");
        return unsupported(message, recipientKey);
    }

    // input {message: bytes}
    // result {content_type, header_names: [string], message_id, parts: [object], protocol,
    //     subject, subject_8bit: boolean}
    static Answer pepMessageStructure(Map<String, Object> input) throws BadInput {
        byte[] message = bytes(input, "message");
        return unsupported(message);
    }

    // input {message: bytes, recipient_key: bytes}
    // result {peer_version}
    static Answer pepMessagePeerVersion(Map<String, Object> input) throws BadInput {
        byte[] message = bytes(input, "message");
        byte[] recipientKey = bytes(input, "recipient_key");
        return unsupported(message, recipientKey);
    }

    // input {message: bytes, recipient_key: bytes, sender_key: bytes}
    // result {signature}
    static Answer pepMessageSignature(Map<String, Object> input) throws BadInput {
        byte[] message = bytes(input, "message");
        byte[] recipientKey = bytes(input, "recipient_key");
        byte[] senderKey = bytes(input, "sender_key");
        return unsupported(message, recipientKey, senderKey);
    }

    /** The one table: op name to stub. The hello declares exactly these. */
    static final Map<String, Op> OPS = new LinkedHashMap<>();

    static {
        OPS.put("immi.msg_id.parse", Adapter::immiMsgIdParse);
        OPS.put("immi.msg_id_header.parse", Adapter::immiMsgIdHeaderParse);
        OPS.put("immi.disposition_notification.parse", Adapter::immiDispositionNotificationParse);
        OPS.put("immi.disposition_notification.build", Adapter::immiDispositionNotificationBuild);
        OPS.put("immi.datetime.parse", Adapter::immiDatetimeParse);
        OPS.put("immi.message.parse", Adapter::immiMessageParse);
        OPS.put("immi.message.summary", Adapter::immiMessageSummary);
        OPS.put("immi.message.build", Adapter::immiMessageBuild);
        OPS.put("immi.content.negotiate", Adapter::immiContentNegotiate);
        OPS.put("immi.conversation.apply", Adapter::immiConversationApply);
        OPS.put("discovery.mssi.parse", Adapter::discoveryMssiParse);
        OPS.put("discovery.mui.parse", Adapter::discoveryMuiParse);
        OPS.put("discovery.enum.domain", Adapter::discoveryEnumDomain);
        OPS.put("discovery.email.mui", Adapter::discoveryEmailMui);
        OPS.put("discovery.identifier.resolve", Adapter::discoveryIdentifierResolve);
        OPS.put("application_mime.content_type.parse", Adapter::applicationMimeContentTypeParse);
        OPS.put("application_mime.multipart.parse", Adapter::applicationMimeMultipartParse);
        OPS.put("application_mime.wrapper.wrap", Adapter::applicationMimeWrapperWrap);
        OPS.put("application_mime.wrapper.unwrap", Adapter::applicationMimeWrapperUnwrap);
        OPS.put("application_mime.wrapper.describe", Adapter::applicationMimeWrapperDescribe);
        OPS.put("application_mime.entity.transfer_encoding", Adapter::applicationMimeEntityTransferEncoding);
        OPS.put("application_mime.entity.data_class", Adapter::applicationMimeEntityDataClass);
        OPS.put("application_mime.parts.list", Adapter::applicationMimePartsList);
        OPS.put("application_mime.wrappers.list", Adapter::applicationMimeWrappersList);
        OPS.put("application_mime.gateway.process", Adapter::applicationMimeGatewayProcess);
        OPS.put("pep.version.choose", Adapter::pepVersionChoose);
        OPS.put("pep.message.wrap", Adapter::pepMessageWrap);
        OPS.put("pep.message.unwrap", Adapter::pepMessageUnwrap);
        OPS.put("pep.message.structure", Adapter::pepMessageStructure);
        OPS.put("pep.message.peer_version", Adapter::pepMessagePeerVersion);
        OPS.put("pep.message.signature", Adapter::pepMessageSignature);
    }

    static Map<String, Object> hello() {
        Map<String, Object> implementation = new LinkedHashMap<>();
        implementation.put("name", NAME);
        implementation.put("version", VERSION);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("type", "hello");
        h.put("protocol", 1L);
        h.put("implementation", implementation);
        h.put("ops", new ArrayList<>(OPS.keySet()));
        h.put("features", FEATURES);
        return h;
    }

    /** The answer to one request line. */
    static Map<String, Object> answer(String line) {
        Object parsed;
        try {
            parsed = Json.parse(line);
        } catch (IllegalArgumentException e) {
            return withId(null, error("mimispec.bad_request", e.getMessage()));
        }
        if (!(parsed instanceof Map<?, ?> request)) {
            return withId(null, error("mimispec.bad_request", "not an object"));
        }
        if ("hello".equals(request.get("type"))) {
            return hello();
        }
        Object id = request.get("id");
        Object op = request.get("op");
        if (!"case".equals(request.get("type"))) {
            return withId(id, error("mimispec.bad_request", "type must be hello or case"));
        }
        if (!(op instanceof String name) || !OPS.containsKey(name)) {
            return withId(id, new Answer("unsupported", "no stub for op " + Json.write(op)));
        }
        try {
            return withId(id, OPS.get(name).call(object(request.get("input"))));
        } catch (BadInput e) {
            return withId(id, error("mimispec.bad_input", e.getMessage()));
        }
        // Any other exception ends the process with its stack trace on
        // stderr: the harness records the case as a crash and starts a new one.
    }

    static Map<String, Object> withId(Object id, Answer a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put(a.kind(), a.value());
        return m;
    }

    /** One line of bytes without its LF; null at end of input. */
    static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        return b == -1 && line.size() == 0 ? null : line.toByteArray();
    }

    public static void main(String[] args) throws IOException {
        // Answers only on the real stdout: System.out (yours or a library's)
        // goes to stderr, where the harness shows it beside the case.
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        System.setOut(System.err);
        InputStream in = new BufferedInputStream(System.in);
        // One request per line until stdin ends: this serves both modes
        // (persistent: many lines; --one-shot: one line, then end of input).
        byte[] raw;
        while ((raw = readLine(in)) != null) {
            String line;
            try {
                line = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                line = "not UTF-8"; // answered as a line that is not JSON
            }
            if (line.isBlank()) {
                continue;
            }
            try {
                out.write((Json.write(answer(line)) + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush(); // the harness waits for this line
            } catch (IOException e) {
                return; // the harness closed our stdout: nothing left to answer
            }
        }
    }

    /** JSON text to and from values (RFC 8259). Writes ASCII only. */
    static final class Json {
        private static final Pattern NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        private static final int MAX_DEPTH = 512;
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        /** The value of a whole JSON text; IllegalArgumentException when it is not one. */
        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value(0);
            j.space();
            if (j.i != text.length()) {
                throw j.fail("text after the value");
            }
            return v;
        }

        private IllegalArgumentException fail(String what) {
            return new IllegalArgumentException("JSON: " + what + " at offset " + i);
        }

        private void space() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private boolean eat(char c) {
            space();
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!eat(c)) {
                throw fail("expected '" + c + "'");
            }
        }

        private Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw fail("nested too deep");
            }
            space();
            if (i >= s.length()) {
                throw fail("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                if (!eat('}')) {
                    do {
                        space();
                        if (i >= s.length() || s.charAt(i) != '"') {
                            throw fail("expected a member name");
                        }
                        String key = string();
                        expect(':');
                        m.put(key, value(depth + 1));
                    } while (eat(','));
                    expect('}');
                }
                return m;
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                if (!eat(']')) {
                    do {
                        l.add(value(depth + 1));
                    } while (eat(','));
                    expect(']');
                }
                return l;
            }
            if (c == '"') {
                return string();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            Matcher m = NUMBER.matcher(s).region(i, s.length());
            if (!m.lookingAt()) {
                throw fail("unexpected character");
            }
            i = m.end();
            if (m.group(1) == null && m.group(2) == null) {
                BigInteger n = new BigInteger(m.group());
                return n.bitLength() < 64 ? (Object) n.longValue() : n;
            }
            return Double.parseDouble(m.group());
        }

        private String string() {
            i++; // the opening quote
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw fail("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw fail("control character in a string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw fail("unterminated string");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length() || !s.substring(i, i + 4).matches("[0-9A-Fa-f]{4}")) {
                            throw fail("bad \\u escape");
                        }
                        // UTF-16 code units, as Java strings hold them: a
                        // surrogate pair's two escapes make one character.
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw fail("bad escape");
                }
            }
        }

        /** JSON text of null, Boolean, Number, String, Map or List values. */
        static String write(Object v) {
            StringBuilder b = new StringBuilder();
            write(b, v);
            return b.toString();
        }

        private static void write(StringBuilder b, Object v) {
            if (v == null || v instanceof Boolean || v instanceof Long || v instanceof Integer
                    || v instanceof BigInteger) {
                b.append(v);
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("JSON has no " + d);
                }
                b.append(d);
            } else if (v instanceof String str) {
                b.append('"');
                for (int k = 0; k < str.length(); k++) {
                    char c = str.charAt(k);
                    if (c == '"' || c == '\\') {
                        b.append('\\').append(c);
                    } else if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
                b.append('"');
            } else if (v instanceof Map<?, ?> m) {
                b.append('{');
                String sep = "";
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(sep);
                    write(b, (String) e.getKey());
                    b.append(':');
                    write(b, e.getValue());
                    sep = ",";
                }
                b.append('}');
            } else if (v instanceof List<?> l) {
                b.append('[');
                String sep = "";
                for (Object x : l) {
                    b.append(sep);
                    write(b, x);
                    sep = ",";
                }
                b.append(']');
            } else {
                throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName()
                        + (v instanceof byte[] ? " (write bytes with bytesValue)" : ""));
            }
        }
    }
}
