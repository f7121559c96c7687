package io.miniflow.cloudapp;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Plans and prices (properties {@code miniflow.cloud.*}): what each plan buys and its price per duration in months,
 * in yuan as configured; orders carry fen. {@code baseDomain}: test environments are {@code <app>-test.<baseDomain>}.
 */
public record CloudPlans(String baseDomain, @DefaultValue Map<Plan, Spec> plans) {

    /** What a plan buys and what it costs: {@code prices} maps months to yuan. */
    public record Spec(String instanceType, int instanceCount, DatabaseKind database, boolean loadBalancer,
                       Map<Integer, BigDecimal> prices) {

        public Spec {
            prices = prices == null ? Map.of() : new TreeMap<>(prices);
        }

        /** The durations on sale, shortest first. */
        public SortedMap<Integer, BigDecimal> priceTable() {
            return (SortedMap<Integer, BigDecimal>) prices;
        }
    }

    public CloudPlans {
        plans = plans == null || plans.isEmpty() ? Map.of() : new EnumMap<>(plans);
    }

    public Optional<Spec> spec(Plan plan) {
        return Optional.ofNullable(plans.get(plan));
    }

    /** The price of a plan for so many months in fen, if the price table has that duration. */
    public Optional<Integer> amountFen(Plan plan, int months) {
        return spec(plan).map(s -> s.prices().get(months))
            .map(yuan -> yuan.movePointRight(2).intValueExact());
    }

    /** The automatic domain of an app's test environment; empty when no base domain is configured. */
    public Optional<String> testDomain(String appName) {
        return baseDomain == null || baseDomain.isBlank() ? Optional.empty()
            : Optional.of(appName + "-test." + baseDomain.trim());
    }
}
