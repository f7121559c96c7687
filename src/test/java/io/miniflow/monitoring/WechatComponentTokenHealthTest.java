package io.miniflow.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import io.miniflow.wechat.WechatApiException;
import io.miniflow.wechat.WechatTokenManager;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The prod readiness rule: the component token indicator is DOWN without a token and UP with a fresh one. */
class WechatComponentTokenHealthTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final WechatTokenManager tokens = mock(WechatTokenManager.class);

    @Test
    void shouldBeDownWhereRequiredWhileNoTokenCanBeHad() {
        when(tokens.componentTokenExpiry()).thenReturn(Optional.empty());
        when(tokens.componentToken()).thenThrow(new WechatApiException("cgi-bin/component/api_component_token",
            WechatApiException.NO_TICKET, "no component_verify_ticket received yet", true, "wechat.error.noTicket"));

        Health health = new WechatComponentTokenHealth(tokens, true, Duration.ofMinutes(1), clock).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("lastError", WechatApiException.NO_TICKET + " wechat.error.noTicket");
    }

    @Test
    void shouldBeDownWhereRequiredWhenTheStoredTokenHasExpired() {
        when(tokens.componentTokenExpiry()).thenReturn(Optional.of(NOW.minusSeconds(1)));
        when(tokens.componentToken()).thenThrow(new IllegalStateException("secret"));

        Health health = new WechatComponentTokenHealth(tokens, true, Duration.ofMinutes(1), clock).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().toString()).doesNotContain("secret");
    }

    @Test
    void shouldBeDownNotAFailedRequestWhileTheDatabaseIsAway() {
        when(tokens.componentTokenExpiry()).thenThrow(new org.springframework.jdbc.CannotGetJdbcConnectionException(
            "Failed to obtain JDBC Connection"));

        Health health = new WechatComponentTokenHealth(tokens, true, Duration.ofMinutes(1), clock).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "cannot read the token: CannotGetJdbcConnectionException");
    }

    @Test
    void shouldBeUpWithAFreshTokenAndShowItsExpiryButNeverTheToken() {
        when(tokens.componentTokenExpiry()).thenReturn(Optional.of(NOW.plus(Duration.ofMinutes(90))));

        Health health = new WechatComponentTokenHealth(tokens, true, Duration.ofMinutes(1), clock).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("expiresAt", "2026-03-01T09:30:00Z")
            .containsEntry("expiresInSeconds", 5400L).hasSize(2);
        verify(tokens, never()).componentToken();
    }

    @Test
    void shouldBeUpOnceATokenIsFetched() {
        when(tokens.componentTokenExpiry()).thenReturn(Optional.empty(), Optional.of(NOW.plusSeconds(7200)));
        when(tokens.componentToken()).thenReturn("never-shown");

        Health health = new WechatComponentTokenHealth(tokens, true, Duration.ofMinutes(1), clock).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().toString()).doesNotContain("never-shown");
    }

    @Test
    void shouldBeUnknownWhereNotRequiredAndAskAtMostOncePerRetryPeriod() {
        when(tokens.componentTokenExpiry()).thenReturn(Optional.empty());
        when(tokens.componentToken()).thenThrow(new IllegalStateException("no ticket"));
        WechatComponentTokenHealth indicator = new WechatComponentTokenHealth(tokens, false, Duration.ofMinutes(1),
            clock);

        assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);

        verify(tokens, times(1)).componentToken();
    }

    @Test
    void prodProfileShouldMakeReadinessDependOnTheComponentToken() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application-prod.yml"));
        java.util.Properties prod = yaml.getObject();

        assertThat(prod.getProperty("management.endpoint.health.group.readiness.include"))
            .contains("wechatComponentToken").contains("readinessState");
        assertThat(prod.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
        assertThat(prod.getProperty("miniflow.health.wechat-component-token.required")).isEqualTo("true");
    }
}
