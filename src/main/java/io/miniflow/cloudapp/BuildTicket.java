package io.miniflow.cloudapp;

/**
 * What the environment-build process needs about one build: where it builds, what it buys ({@link CloudPlans.Spec}),
 * and the order that pays for it ({@code outTradeNo}, derived from the build id; amount in fen).
 */
public record BuildTicket(long buildId, long environmentId, String workspace, String app, Runtime runtime, EnvName env,
                          Plan plan, CloudPlans.Spec spec, int months, String domain, Long certificateId,
                          String outTradeNo, int amountFen, String startedBy) {

    /** The out_trade_no of a build: the same for every retry of the prepay, unique per build. */
    public static String outTradeNo(long buildId) {
        return String.format("MFCB%016d", buildId);
    }
}
