import { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1796312634976 implements MigrationInterface {
    name = 'Initial1796312634976'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "api_call_logs" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "request_id" varchar(64), "method" varchar(10) NOT NULL, "path" varchar(2048) NOT NULL, "status" integer NOT NULL, "duration_ms" integer NOT NULL, "user_id" varchar(255), "client_id" varchar(255), "api_call_count" integer, "request_body" text, "response_body" text)`);
        await queryRunner.query(`CREATE INDEX "IDX_api_call_logs_user_created" ON "api_call_logs" ("user_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_api_call_logs_client_created" ON "api_call_logs" ("client_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_api_call_logs_created" ON "api_call_logs" ("created_at") `);
        await queryRunner.query(`CREATE TABLE "api_call_counts" ("user_id" varchar(255) NOT NULL, "client_id" varchar(255) NOT NULL, "count" integer NOT NULL DEFAULT (0), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), PRIMARY KEY ("user_id", "client_id"))`);
        await queryRunner.query(`CREATE TABLE "todos" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(255) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "status" varchar(32) NOT NULL DEFAULT ('pending'), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
        await queryRunner.query(`CREATE INDEX "IDX_todos_user_created" ON "todos" ("user_id", "created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_todos_user_created"`);
        await queryRunner.query(`DROP TABLE "todos"`);
        await queryRunner.query(`DROP TABLE "api_call_counts"`);
        await queryRunner.query(`DROP INDEX "IDX_api_call_logs_created"`);
        await queryRunner.query(`DROP INDEX "IDX_api_call_logs_client_created"`);
        await queryRunner.query(`DROP INDEX "IDX_api_call_logs_user_created"`);
        await queryRunner.query(`DROP TABLE "api_call_logs"`);
    }

}
