package io.miniflow.release;

import java.util.Collection;
import java.util.List;

/** The mini programs Miniflow may release to (authorized on the platform); the platform's adapter answers. */
public interface AuthorizedMiniPrograms {

    /** Every currently authorized mini program's appid. */
    List<String> all();

    /** Which of these appids are not (or no longer) authorized. */
    List<String> unknown(Collection<String> appIds);
}
