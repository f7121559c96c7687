package io.miniflow.sandbox.wechatpay;

/** A refusal as API v3 words it: HTTP status and a JSON body {@code {"code": ..., "message": ...}}. */
class WechatPayError extends RuntimeException {

    private final int status;
    private final String code;

    WechatPayError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static WechatPayError param(String message) {
        return new WechatPayError(400, "PARAM_ERROR", message);
    }

    static WechatPayError notFound() {
        return new WechatPayError(404, "ORDER_NOT_EXIST", "订单不存在");
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
