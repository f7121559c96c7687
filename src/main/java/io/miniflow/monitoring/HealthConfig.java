package io.miniflow.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.miniflow.wechat.WechatTokenManager;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.spring.boot.starter.actuator.ProcessEngineHealthIndicator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What /actuator/health shows besides the database ("db", Boot's): the process engine, the job executor, each
 * platform's reachability ("platforms") and the WeChat component token ("wechatComponentToken"). Details go to
 * logged-in users only ({@code show-details: when-authorized}). Not in the emulators-only profile, which has no engine.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "camunda.bpm", name = "enabled", matchIfMissing = true)
class HealthConfig {

    /** Ours replaces the Camunda starter's, which then also leaves out its process engine indicator: kept here. */
    @Bean
    HealthIndicator jobExecutorHealthIndicator(ProcessEngine engine) {
        return new JobExecutorHealth(
            ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor());
    }

    @Bean
    HealthIndicator processEngineHealthIndicator(ProcessEngine engine) {
        return new ProcessEngineHealthIndicator(engine);
    }

    @Bean
    HealthContributor platformsHealthContributor(Environment environment, Clock clock,
            @Value("${miniflow.health.platforms.cache:PT30S}") Duration cacheFor) {
        Map<String, HealthIndicator> platforms = new LinkedHashMap<>();
        platforms.put("wechat", new PlatformReachability(
            () -> environment.getProperty("miniflow.wechat.api-base-url"), cacheFor, clock));
        platforms.put("aliyun", new PlatformReachability(() -> PlatformReachability.aliyunUrl(
            environment.getProperty("miniflow.aliyun.endpoint"), environment.getProperty("miniflow.aliyun.protocol")),
            cacheFor, clock));
        platforms.put("wechatpay", new PlatformReachability(
            () -> environment.getProperty("miniflow.wechatpay.base-url"), cacheFor, clock));
        return CompositeHealthContributor.fromMap(platforms);
    }

    @Bean
    HealthIndicator wechatComponentTokenHealthIndicator(WechatTokenManager tokens, Clock clock,
            @Value("${miniflow.health.wechat-component-token.required:false}") boolean required,
            @Value("${miniflow.health.wechat-component-token.retry:PT1M}") Duration retry) {
        return new WechatComponentTokenHealth(tokens, required, retry, clock);
    }
}
