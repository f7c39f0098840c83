-- Consumers that report the indicator figures no department holds (issue 12: "an authorised consumer reports").
ALTER TYPE "ConsumerRole" ADD VALUE IF NOT EXISTS 'REPORTER';
