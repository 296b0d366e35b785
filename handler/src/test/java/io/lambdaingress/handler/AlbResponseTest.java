package io.lambdaingress.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlbResponseTest {

    @Test
    void withHeaderAppendsAndKeepsTheOrderHeadersWereAdded() {
        AlbResponse response = AlbResponse.text(200, "hi")
                .withHeader("Set-Cookie", "a=1")
                .withHeader("Cache-Control", "no-store")
                .withHeader("Set-Cookie", "b=2");

        assertEquals(List.of("Content-Type", "Set-Cookie", "Cache-Control"), List.copyOf(response.headers().keySet()));
        assertEquals(List.of("a=1", "b=2"), response.headers().get("Set-Cookie"));
    }

    @Test
    void binaryBodiesTravelAsBase64AndComeBackAsTheSameBytes() {
        byte[] bytes = {0, (byte) 0xff, 0x10, 'x'};
        AlbResponse response = AlbResponse.binary(200, "application/octet-stream", bytes);

        assertTrue(response.base64Encoded());
        assertEquals("AP8QeA==", response.body());
        assertArrayEquals(bytes, response.bodyBytes());
        assertArrayEquals("é".getBytes(StandardCharsets.UTF_8), AlbResponse.text(200, "é").bodyBytes());
    }

    @Test
    void jsonKeepsNullsTheCallerPutInTheDocument() {
        Map<String, Object> document = new java.util.LinkedHashMap<>();
        document.put("a", null);
        assertEquals("{\"a\":null}", AlbResponse.json(200, document).body());
    }

    @Test
    void statusOutsideHttpRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> AlbResponse.empty(99));
        assertThrows(IllegalArgumentException.class, () -> AlbResponse.empty(600));
    }

    @Test
    void statusDescriptionIsCodeSpaceReasonPhrase() {
        assertEquals("200 OK", StatusDescription.of(200));
        assertEquals("413 Content Too Large", StatusDescription.of(413));
        assertEquals("599", StatusDescription.of(599));
    }
}
