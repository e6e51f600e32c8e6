import { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1796312638382 implements MigrationInterface {
    name = 'Initial1796312638382'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "api_call_logs" ("id" SERIAL NOT NULL, "created_at" TIMESTAMP NOT NULL DEFAULT now(), "request_id" character varying(64), "method" character varying(10) NOT NULL, "path" character varying(2048) NOT NULL, "status" integer NOT NULL, "duration_ms" integer NOT NULL, "user_id" character varying(255), "client_id" character varying(255), "api_call_count" integer, "request_body" text, "response_body" text, CONSTRAINT "PK_2afb6481cda7a38f3263ba9901f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_api_call_logs_user_created" ON "api_call_logs"  ("user_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_api_call_logs_client_created" ON "api_call_logs"  ("client_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_api_call_logs_created" ON "api_call_logs"  ("created_at") `);
        await queryRunner.query(`CREATE TABLE "api_call_counts" ("user_id" character varying(255) NOT NULL, "client_id" character varying(255) NOT NULL, "count" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_69ed02e37c0ae233154e900dea6" PRIMARY KEY ("user_id", "client_id"))`);
        await queryRunner.query(`CREATE TABLE "todos" ("id" character varying(36) NOT NULL, "user_id" character varying(255) NOT NULL, "title" character varying(200) NOT NULL, "description" text NOT NULL DEFAULT '', "status" character varying(32) NOT NULL DEFAULT 'pending', "created_at" TIMESTAMP NOT NULL DEFAULT now(), "updated_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_ca8cafd59ca6faaf67995344225" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_todos_user_created" ON "todos"  ("user_id", "created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_todos_user_created"`);
        await queryRunner.query(`DROP TABLE "todos"`);
        await queryRunner.query(`DROP TABLE "api_call_counts"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_api_call_logs_created"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_api_call_logs_client_created"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_api_call_logs_user_created"`);
        await queryRunner.query(`DROP TABLE "api_call_logs"`);
    }

}
