package io.parley.demo;

/**
 * The manager on duty at a location, as the demo shop API shows it ({@code GET /duty-manager?location=...}); the demo
 * freezer's alert looks them up.
 *
 * @param location the location as the device table names it ({@code store 12})
 */
public record DutyManager(String location, String name, String phone) {
}
