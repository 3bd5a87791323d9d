// Checks of Adapter.java's JSON, bytes rules and loop (no test framework):
//   javac -d build Adapter.java AdapterTest.java && java -cp build AdapterTest

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

public final class AdapterTest {
    private static int failed;

    private static void check(boolean ok, String what) {
        if (!ok) {
            failed++;
            System.err.println("FAIL: " + what);
        }
    }

    private static void equal(Object actual, Object expected, String what) {
        check(expected.equals(actual), what + ": expected " + expected + ", got " + actual);
    }

    public static void main(String[] args) throws Exception {
        json();
        bytes();
        loop();
        if (failed > 0) {
            System.err.println(failed + " checks failed");
            System.exit(1);
        }
        System.err.println("AdapterTest: ok");
    }

    static void json() {
        String text = " {\"a\" : [1, -2.5e3, 12345678901234567890, true, false, null, "
                + "\"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\\t\"], \"b\": {}, \"c\": []} ";
        Object v = Adapter.Json.parse(text);
        equal(Adapter.Json.write(v), "{\"a\":[1,-2500.0,12345678901234567890,true,false,null,"
                + "\"\\u00e9\\ud83d\\ude00\\u000a\\\"\\\\/\\u0009\"],\"b\":{},\"c\":[]}", "round trip");
        Object s = ((List<?>) ((Map<?, ?>) v).get("a")).get(6);
        equal(s, "é\uD83D\uDE00\n\"\\/\t", "escapes");
        equal(Adapter.Json.parse("\"p≡p\""), "p≡p", "raw UTF-16 text");
        String deep = "[".repeat(100_000);
        for (String bad : List.of("", "{", "[1,]", "{\"a\":1}x", "\"\\u12\"", "01", "\"a\u0001\"", "{a:1}",
                "[1 2]", "tru", "\"\\x\"", deep)) {
            try {
                Adapter.Json.parse(bad);
                check(false, "parsed bad JSON " + bad.substring(0, Math.min(bad.length(), 20)));
            } catch (IllegalArgumentException expected) {
                // refused, as it should be
            }
        }
    }

    static void bytes() throws Adapter.BadInput {
        check(Arrays.equals(Adapter.asBytes("p≡p"), new byte[] {0x70, (byte) 0xe2, (byte) 0x89, (byte) 0xa1, 0x70}), "UTF-8 of a string");
        check(Arrays.equals(Adapter.asBytes(Map.of("$base64", "/w==")), new byte[] {(byte) 0xff}), "$base64");
        check(Adapter.asBytes(Map.of("$base64", "")).length == 0, "empty $base64");
        for (Object bad : new Object[] {Map.of("$base64", "!!!!"), Map.of("$base64", "/w"),
                Map.of("$base64", "aGk=", "x", 1L), Map.of(), List.of(), 1L, "\uD800"}) {
            try {
                Adapter.asBytes(bad);
                check(false, "read bad bytes " + bad);
            } catch (Adapter.BadInput expected) {
                // refused, as it should be
            }
        }
        equal(Adapter.bytesValue(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'a', '\r', '\n'}), "\uFEFFa\r\n", "BOM kept");
        equal(Adapter.bytesValue(new byte[] {(byte) 0xff, (byte) 0xfe}), Map.of("$base64", "//4="), "not UTF-8");
        equal(Adapter.bytesValue(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), Map.of("$base64", "7aCA"), "a surrogate is not UTF-8");
    }

    static String run(String stdin) throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "Adapter")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream o = p.getInputStream()) {
            o.transferTo(out);
        }
        equal(p.waitFor(), 0, "exit status at end of input");
        return out.toString(StandardCharsets.US_ASCII);
    }

    static void loop() throws IOException, InterruptedException {
        String kase = "{\"type\":\"case\",\"id\":\"a#b\",\"op\":\"pep.message.wrap\",\"input\":{\"message\":\"m\","
                + "\"recipient_key\":{\"$base64\":\"AAE=\"},\"sender_key\":\"\",\"version\":\"2.1\"}}";
        String[] lines = run("{\"type\":\"hello\",\"protocol\":1,\"suite\":{}}\n\n" + kase + "\r\n{\n").split("\n", -1);
        equal(lines.length, 4, "three answers and a final LF");
        Object hello = Adapter.Json.parse(lines[0]);
        equal(((Map<?, ?>) hello).get("ops"), List.copyOf(Adapter.OPS.keySet()), "the hello's ops");
        equal(lines[1], "{\"id\":\"a#b\",\"unsupported\":\"not implemented yet (bytes read: 1, 2, 0)\"}", "a case");
        check(lines[2].contains("\"code\":\"mimispec.bad_request\""), "bad line: " + lines[2]);
        // No final LF, as from a closed pipe.
        String bad = run("{\"type\":\"case\",\"id\":\"x\",\"op\":\"immi.message.parse\",\"input\":{\"message\":{\"$base64\":\"%%%%\"}}}");
        check(bad.contains("\"code\":\"mimispec.bad_input\""), "bad member: " + bad);
    }
}
