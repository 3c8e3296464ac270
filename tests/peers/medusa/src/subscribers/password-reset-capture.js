// Merchant Desk test peer: make password-reset tokens observable.
// Medusa emits `auth.password_reset` with {entity_id, actor_type, token, metadata} but never returns
// the token over HTTP. Recording it as a Notification (local provider, channel "email") lets tests
// read it through GET /admin/notifications?channel=email&to=<email>, like a mail catcher would.
// Plain .js so `medusa start` picks it up without a build step. Nothing is written to disk.
async function passwordResetCapture({ event: { data }, container }) {
  const logger = container.resolve("logger")
  try {
    const notification = container.resolve("notification")
    await notification.createNotifications({
      to: data.entity_id,
      channel: "email",
      template: "password-reset",
      data: { token: data.token, actor_type: data.actor_type, metadata: data.metadata || {} },
    })
    // The token itself stays out of the log.
    logger.info(`[merchant-desk-peer] password-reset notification recorded for ${data.actor_type} ${data.entity_id}`)
  } catch (e) {
    logger.warn(`[merchant-desk-peer] could not record password-reset notification: ${e.message}`)
  }
}

exports.default = passwordResetCapture
exports.config = { event: "auth.password_reset" }
