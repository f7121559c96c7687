package io.miniflow.sandbox.wechat;

/** An errcode/errmsg answer of the emulated platform (HTTP 200 with a JSON error body, as WeChat does). */
class SandboxWxError extends RuntimeException {

    final int code;

    SandboxWxError(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }
}
