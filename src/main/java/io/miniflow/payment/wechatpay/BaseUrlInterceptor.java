package io.miniflow.payment.wechatpay;

import java.io.IOException;

import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends wechatpay-java's requests to {@code miniflow.wechatpay.base-url} instead of its fixed host: scheme, host and
 * port are replaced and the base URL's path is put in front of the platform path. The SDK has signed the platform
 * path already, which is what the platform (or the sandbox) verifies.
 */
public final class BaseUrlInterceptor implements Interceptor {

    private final HttpUrl base;

    public BaseUrlInterceptor(String baseUrl) {
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        this.base = parsed;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        HttpUrl original = request.url();
        String prefix = base.encodedPath().endsWith("/")
            ? base.encodedPath().substring(0, base.encodedPath().length() - 1) : base.encodedPath();
        HttpUrl rewritten = original.newBuilder()
            .scheme(base.scheme())
            .host(base.host())
            .port(base.port())
            .encodedPath(prefix + original.encodedPath())
            .build();
        return chain.proceed(request.newBuilder().url(rewritten).build());
    }
}
