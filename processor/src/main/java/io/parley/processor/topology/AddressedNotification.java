package io.parley.processor.topology;

import io.parley.schemas.Notification;
import io.parley.schemas.state.UserContact;

/**
 * A notification joined with where its user was last seen.
 *
 * @param contact the user's latest conversation and channel, or {@code null} when the user is unknown
 */
record AddressedNotification(Notification notification, UserContact contact) {
}
