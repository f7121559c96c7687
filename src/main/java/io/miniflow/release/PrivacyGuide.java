package io.miniflow.release;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.shared.MiniflowException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A mini program's user privacy guide, as a release sets it on the platform: who collects (at least one contact), how
 * users are told of changes, how long data is kept (days; null: "as short as the purpose needs"), each collected data
 * item with its purpose, and the third-party SDKs with the items each of them collects. Stored per app as its tenants'
 * default and per mini program as an override ({@link PrivacyGuides}); the same JSON travels in the release's
 * {@code privacyGuide} variable.
 */
public record PrivacyGuide(
    @Size(max = 255, message = "{privacy.contact.size}") String contactEmail,
    @Size(max = 32, message = "{privacy.contact.size}") String contactPhone,
    @Size(max = 32, message = "{privacy.contact.size}") String contactQq,
    @Size(max = 32, message = "{privacy.contact.size}") String contactWeixin,
    @Size(max = NOTICE_MAX, message = "{privacy.notice.size}") String noticeMethod,
    @Min(value = 1, message = "{privacy.storageDays.range}") @Max(value = STORAGE_DAYS_MAX,
        message = "{privacy.storageDays.range}") Integer storageDays,
    @Size(max = ITEMS_MAX, message = "{privacy.items.size}")
    List<@NotNull(message = "{error.list.nullItem}") @Valid DataItem> items,
    @Size(max = SDKS_MAX, message = "{privacy.sdks.size}")
    List<@NotNull(message = "{error.list.nullItem}") @Valid Sdk> sdks) {

    static final int NOTICE_MAX = 200;
    static final int PURPOSE_MAX = 200;
    static final int STORAGE_DAYS_MAX = 36_500;
    static final int ITEMS_MAX = 50;
    static final int SDKS_MAX = 30;
    static final int NAME_MAX = 100;
    static final int JSON_MAX = 3_800;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One kind of user data (the platform's privacy_key, e.g. UserInfo, Location, PhoneNumber) and what it is for. */
    public record DataItem(
        @Size(max = 64, message = "{privacy.key.size}") String privacyKey,
        @Size(max = PURPOSE_MAX, message = "{privacy.purpose.size}") String purpose) {
    }

    /** A third-party SDK the mini program embeds: its name, the company behind it, and the data it collects. */
    public record Sdk(
        @Size(max = NAME_MAX, message = "{privacy.sdk.name.size}") String name,
        @Size(max = NAME_MAX, message = "{privacy.sdk.name.size}") String company,
        @Size(max = ITEMS_MAX, message = "{privacy.items.size}")
        List<@NotNull(message = "{error.list.nullItem}") @Valid DataItem> items) {
    }

    public PrivacyGuide {
        contactEmail = blankToNull(contactEmail);
        contactPhone = blankToNull(contactPhone);
        contactQq = blankToNull(contactQq);
        contactWeixin = blankToNull(contactWeixin);
        noticeMethod = blankToNull(noticeMethod);
        items = items == null ? List.of() : items.stream().filter(Objects::nonNull).map(PrivacyGuide::clean).toList();
        sdks = sdks == null ? List.of() : sdks.stream().filter(Objects::nonNull)
            .map(s -> new Sdk(trim(s.name()), trim(s.company()), s.items() == null ? List.of()
                : s.items().stream().filter(Objects::nonNull).map(PrivacyGuide::clean).toList()))
            .toList();
    }

    /**
     * Checks everything the platform would refuse, and more (formats, sizes, duplicates), so a release never meets a
     * refusal of the guide: a bad guide is a 400 when it is saved, naming the first problem.
     */
    public void validate() {
        if (contactEmail == null && contactPhone == null && contactQq == null && contactWeixin == null) {
            throw MiniflowException.badRequest("privacy.contact.required");
        }
        check(contactEmail == null || (contactEmail.length() <= 255
            && contactEmail.matches("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[A-Za-z]{2,}")), "privacy.contactEmail", contactEmail);
        check(contactPhone == null || contactPhone.matches("\\+?[0-9][0-9 -]{4,19}"), "privacy.contactPhone",
            contactPhone);
        check(contactQq == null || contactQq.matches("[1-9][0-9]{4,11}"), "privacy.contactQq", contactQq);
        check(contactWeixin == null || contactWeixin.matches("[A-Za-z][A-Za-z0-9_-]{5,19}"), "privacy.contactWeixin",
            contactWeixin);
        if (noticeMethod == null) {
            throw MiniflowException.badRequest("privacy.notice.required");
        }
        check(noticeMethod.length() <= NOTICE_MAX, "privacy.notice.size");
        check(storageDays == null || (storageDays >= 1 && storageDays <= STORAGE_DAYS_MAX), "privacy.storageDays.range");
        check(items.size() <= ITEMS_MAX, "privacy.items.size");
        checkItems(items);
        check(sdks.size() <= SDKS_MAX, "privacy.sdks.size");
        Set<String> sdkNames = new HashSet<>();
        for (Sdk sdk : sdks) {
            check(sdk.name() != null && sdk.name().length() <= NAME_MAX, "privacy.sdk.name.size");
            check(sdk.company() != null && sdk.company().length() <= NAME_MAX, "privacy.sdk.name.size");
            check(sdkNames.add(sdk.name()), "privacy.sdk.duplicate", sdk.name());
            check(!sdk.items().isEmpty() && sdk.items().size() <= ITEMS_MAX, "privacy.sdk.items", sdk.name());
            checkItems(sdk.items());
        }
        // The guide travels to the release as a text variable, which the engine stores in 4000 characters.
        check(toJson().length() <= JSON_MAX, "privacy.tooLong", JSON_MAX);
    }

    private static void checkItems(List<DataItem> items) {
        Set<String> keys = new HashSet<>();
        for (DataItem item : items) {
            check(item.privacyKey() != null && item.privacyKey().matches("[A-Za-z][A-Za-z0-9_]{0,63}"),
                "privacy.key.pattern", String.valueOf(item.privacyKey()));
            check(item.purpose() != null && item.purpose().length() <= PURPOSE_MAX, "privacy.purpose.size");
            check(keys.add(item.privacyKey()), "privacy.key.duplicate", item.privacyKey());
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PrivacyGuide fromJson(String json) {
        try {
            return JSON.readValue(json, PrivacyGuide.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored privacy guide is not readable: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * What differs between the guide Miniflow set and the one the platform answers with, one line per difference;
     * empty when they agree. Items compare as sets (the platform may list them in its own order).
     */
    public List<String> differencesFrom(PrivacyGuide platform) {
        List<String> out = new ArrayList<>();
        compare(out, "contactEmail", contactEmail, platform.contactEmail());
        compare(out, "contactPhone", contactPhone, platform.contactPhone());
        compare(out, "contactQq", contactQq, platform.contactQq());
        compare(out, "contactWeixin", contactWeixin, platform.contactWeixin());
        compare(out, "noticeMethod", noticeMethod, platform.noticeMethod());
        compare(out, "storageDays", storageDays, platform.storageDays());
        compare(out, "items", Set.copyOf(items), Set.copyOf(platform.items()));
        compare(out, "sdks", Set.copyOf(sdks), Set.copyOf(platform.sdks()));
        return out;
    }

    private static void compare(List<String> out, String field, Object mine, Object theirs) {
        if (!Objects.equals(mine, theirs)) {
            out.add(field + ": set " + mine + ", platform has " + theirs);
        }
    }

    private static void check(boolean ok, String key, Object... args) {
        if (!ok) {
            throw MiniflowException.badRequest(key, args);
        }
    }

    private static DataItem clean(DataItem item) {
        return new DataItem(trim(item.privacyKey()), trim(item.purpose()));
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String blankToNull(String s) {
        return trim(s);
    }
}
