package io.miniflow.openapi;

/** A key just created: the only time its secret leaves Miniflow. {@code toString()} leaves the secret out. */
public record NewOpenApiKey(String appId, String appSecret) {

    @Override
    public String toString() {
        return "NewOpenApiKey[appId=" + appId + "]";
    }
}
