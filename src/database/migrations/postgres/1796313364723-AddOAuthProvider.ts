import { MigrationInterface, QueryRunner } from "typeorm";

export class AddOAuthProvider1796313364723 implements MigrationInterface {
    name = 'AddOAuthProvider1796313364723'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "oauth_authorization_codes" ("code_hash" character varying(64) NOT NULL, "client_id" character varying(255) NOT NULL, "user_id" character varying(36) NOT NULL, "family_id" character varying(36) NOT NULL, "redirect_uri" character varying(2048) NOT NULL, "scope" character varying(1000), "code_challenge" character varying(128), "code_challenge_method" character varying(10), "expires_at" TIMESTAMP NOT NULL, "used_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_25c7c7a7cdc5a6eb88200c472ca" PRIMARY KEY ("code_hash"))`);
        await queryRunner.query(`CREATE INDEX "IDX_oauth_codes_expires" ON "oauth_authorization_codes"  ("expires_at") `);
        await queryRunner.query(`CREATE TABLE "oauth_clients" ("id" character varying(255) NOT NULL, "name" character varying(200) NOT NULL DEFAULT '', "secret_hash" character varying(64) NOT NULL, "redirect_uris" text NOT NULL, "api_call_limit" integer, "created_at" TIMESTAMP NOT NULL DEFAULT now(), "updated_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_c4759172d3431bae6f04e678e0d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "oauth_tokens" ("id" character varying(36) NOT NULL, "family_id" character varying(36) NOT NULL, "client_id" character varying(255) NOT NULL, "user_id" character varying(36) NOT NULL, "scope" character varying(1000), "access_token_hash" character varying(64) NOT NULL, "access_token_expires_at" TIMESTAMP NOT NULL, "refresh_token_hash" character varying(64), "refresh_token_expires_at" TIMESTAMP, "rotated_at" TIMESTAMP, "revoked_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_71c8b8060826696206f973554fd" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_oauth_tokens_client" ON "oauth_tokens"  ("client_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_oauth_tokens_family" ON "oauth_tokens"  ("family_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_oauth_tokens_refresh" ON "oauth_tokens"  ("refresh_token_hash") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_oauth_tokens_access" ON "oauth_tokens"  ("access_token_hash") `);
        await queryRunner.query(`CREATE TABLE "oauth_users" ("id" character varying(36) NOT NULL, "email" character varying(320) NOT NULL, "name" character varying(200) NOT NULL DEFAULT '', "password_hash" character varying(255) NOT NULL, "created_at" TIMESTAMP NOT NULL DEFAULT now(), "updated_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_ae01078f41598cc3389ec86e493" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_oauth_users_email" ON "oauth_users"  ("email") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_oauth_users_email"`);
        await queryRunner.query(`DROP TABLE "oauth_users"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_oauth_tokens_access"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_oauth_tokens_refresh"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_oauth_tokens_family"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_oauth_tokens_client"`);
        await queryRunner.query(`DROP TABLE "oauth_tokens"`);
        await queryRunner.query(`DROP TABLE "oauth_clients"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_oauth_codes_expires"`);
        await queryRunner.query(`DROP TABLE "oauth_authorization_codes"`);
    }

}
