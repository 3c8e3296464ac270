// Medusa config of the Merchant Desk test peer. Every value comes from the environment that
// peer.sh sets; nothing is read from .env files so a stray file in the cache dir cannot leak in.
import { defineConfig } from "@medusajs/framework/utils"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS || "http://127.0.0.1:8000",
      adminCors: process.env.ADMIN_CORS || "http://127.0.0.1:9000",
      authCors: process.env.AUTH_CORS || "http://127.0.0.1:9000,http://127.0.0.1:8000",
      // No fallback: under NODE_ENV=production Medusa refuses to start without secrets,
      // which is what we want (peer.sh always passes them).
      jwtSecret: process.env.JWT_SECRET,
      cookieSecret: process.env.COOKIE_SECRET,
    },
  },
  admin: {
    // No dashboard build: the tests only talk to the HTTP API.
    disable: true,
  },
  modules: [
    {
      resolve: "@medusajs/medusa/notification",
      options: {
        providers: [
          {
            // The default config has the local provider on "feed" only; "email" is needed so the
            // password-reset subscriber can record its notification on that channel.
            resolve: "@medusajs/medusa/notification-local",
            id: "local",
            options: { name: "Local Notification Provider", channels: ["email", "feed"] },
          },
        ],
      },
    },
  ],
})
