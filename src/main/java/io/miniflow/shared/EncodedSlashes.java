package io.miniflow.shared;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat refuses a path with an encoded slash (%2F) itself, with its own HTML page, before Miniflow sees the request.
 * Passed through undecoded, such a path reaches Spring Security's firewall, which refuses it just the same (400) but
 * through the error controller, so an API client gets its problem document. Never decoded, %2F cannot become a
 * path separator on the way.
 */
@Component
class EncodedSlashes implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector ->
            connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
    }
}
