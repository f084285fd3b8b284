#!/usr/bin/env node
"use strict";
const express = require("express");

const app = express();
app.post("/todos", (req, res) => res.status(201).end());
app.listen(3000);
