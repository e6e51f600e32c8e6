import { MigrationInterface, QueryRunner } from "typeorm";

export class AddOAuthProvider1796313354713 implements MigrationInterface {
    name = 'AddOAuthProvider1796313354713'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "oauth_authorization_codes" ("code_hash" varchar(64) PRIMARY KEY NOT NULL, "client_id" varchar(255) NOT NULL, "user_id" varchar(36) NOT NULL, "family_id" varchar(36) NOT NULL, "redirect_uri" varchar(2048) NOT NULL, "scope" varchar(1000), "code_challenge" varchar(128), "code_challenge_method" varchar(10), "expires_at" datetime NOT NULL, "used_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
        await queryRunner.query(`CREATE INDEX "IDX_oauth_codes_expires" ON "oauth_authorization_codes" ("expires_at") `);
        await queryRunner.query(`CREATE TABLE "oauth_clients" ("id" varchar(255) PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL DEFAULT (''), "secret_hash" varchar(64) NOT NULL, "redirect_uris" text NOT NULL, "api_call_limit" integer, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
        await queryRunner.query(`CREATE TABLE "oauth_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "family_id" varchar(36) NOT NULL, "client_id" varchar(255) NOT NULL, "user_id" varchar(36) NOT NULL, "scope" varchar(1000), "access_token_hash" varchar(64) NOT NULL, "access_token_expires_at" datetime NOT NULL, "refresh_token_hash" varchar(64), "refresh_token_expires_at" datetime, "rotated_at" datetime, "revoked_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
        await queryRunner.query(`CREATE INDEX "IDX_oauth_tokens_client" ON "oauth_tokens" ("client_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_oauth_tokens_family" ON "oauth_tokens" ("family_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_oauth_tokens_refresh" ON "oauth_tokens" ("refresh_token_hash") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_oauth_tokens_access" ON "oauth_tokens" ("access_token_hash") `);
        await queryRunner.query(`CREATE TABLE "oauth_users" ("id" varchar(36) PRIMARY KEY NOT NULL, "email" varchar(320) NOT NULL, "name" varchar(200) NOT NULL DEFAULT (''), "password_hash" varchar(255) NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_oauth_users_email" ON "oauth_users" ("email") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_oauth_users_email"`);
        await queryRunner.query(`DROP TABLE "oauth_users"`);
        await queryRunner.query(`DROP INDEX "IDX_oauth_tokens_access"`);
        await queryRunner.query(`DROP INDEX "IDX_oauth_tokens_refresh"`);
        await queryRunner.query(`DROP INDEX "IDX_oauth_tokens_family"`);
        await queryRunner.query(`DROP INDEX "IDX_oauth_tokens_client"`);
        await queryRunner.query(`DROP TABLE "oauth_tokens"`);
        await queryRunner.query(`DROP TABLE "oauth_clients"`);
        await queryRunner.query(`DROP INDEX "IDX_oauth_codes_expires"`);
        await queryRunner.query(`DROP TABLE "oauth_authorization_codes"`);
    }

}
