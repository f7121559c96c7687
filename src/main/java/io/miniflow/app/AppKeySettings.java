package io.miniflow.app;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

/**
 * {@code miniflow.app-keys}: how long a rotated key keeps working, how far an upload's timestamp may be from the
 * server's time, and the largest bundle accepted.
 */
public record AppKeySettings(Duration rotationOverlap, Duration uploadWindow, DataSize maxBundleSize) {

    public AppKeySettings {
        rotationOverlap = rotationOverlap == null ? Duration.ofHours(24) : rotationOverlap;
        uploadWindow = uploadWindow == null ? Duration.ofMinutes(5) : uploadWindow;
        maxBundleSize = maxBundleSize == null ? DataSize.ofMegabytes(20) : maxBundleSize;
        if (rotationOverlap.isNegative() || uploadWindow.isNegative() || uploadWindow.isZero()
            || maxBundleSize.toBytes() <= 0 || maxBundleSize.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("miniflow.app-keys: overlap >= 0, window > 0, 0 < max-bundle-size < 2 GB");
        }
    }
}
