import { createApp } from './create-app.ts';

// The CDK CLI runs this file; the App synthesises itself when it ends.
createApp();
